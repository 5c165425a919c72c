import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows, pgErrorCode } from '@/db/sql';
import { useTestDatabase } from '../support/database';
import { createOnSaleEvent, createUser } from '../support/fixtures';

/** The database itself refuses what the invariants forbid, whatever the application code does. */
describe('database invariants', () => {
  const { handle } = useTestDatabase();
  const db = () => handle().db;

  async function firstSeat(eventId: string) {
    const [seat] = await rows<{ id: number }>(
      db(),
      sql`select id from event_seats where event_id = ${eventId} order by idx limit 1`,
    );
    return seat!.id;
  }

  async function expectRefused(statement: Promise<unknown>, code = '23514') {
    let error: unknown;
    try {
      await statement;
    } catch (e) {
      error = e;
    }
    expect(error, 'the database should have refused this').toBeDefined();
    expect(pgErrorCode(error)).toBe(code);
  }

  it('publishes a copy of the layout with a price tier on every seat', async () => {
    const { event } = await createOnSaleEvent(db(), { rows: 3, seatsPerRow: 4 });
    const [counts] = await rows<{ n: number; priced: number; available: number }>(
      db(),
      sql`select count(*)::int as n, count(price_tier_id)::int as priced, count(*) filter (where status = 'available')::int as available from event_seats where event_id = ${event.id}`,
    );
    expect(counts).toEqual({ n: 12, priced: 12, available: 12 });
    expect(event.seatsTotal).toBe(12);
    expect(event.status).toBe('published');
  });

  it('refuses a held seat without a live hold', async () => {
    const { event } = await createOnSaleEvent(db());
    const seat = await firstSeat(event.id);
    await expectRefused(db().execute(sql`update event_seats set rev = rev + 1, status = 'held' where id = ${seat}`));
    const buyer = await createUser(db());
    // A hold that is no longer active cannot be pointed at.
    const [hold] = await rows<{ id: string }>(
      db(),
      sql`insert into holds (event_id, user_id, status, seat_count, seat_ids, expires_at, ended_at) values (${event.id}, ${buyer.id}, 'released', 1, array[${seat}]::bigint[], now(), now()) returning id`,
    );
    await expectRefused(
      db().execute(
        sql`update event_seats set rev = rev + 1, status = 'held', hold_id = ${hold!.id}, hold_state = 'active', held_by = ${buyer.id}, held_until = now() + interval '5 minutes' where id = ${seat}`,
      ),
      '23503',
    );
  });

  it('refuses to end a hold while seats still point at it', async () => {
    const { event } = await createOnSaleEvent(db());
    const seat = await firstSeat(event.id);
    const buyer = await createUser(db());
    const [hold] = await rows<{ id: string }>(
      db(),
      sql`insert into holds (event_id, user_id, seat_count, seat_ids, expires_at) values (${event.id}, ${buyer.id}, 1, array[${seat}]::bigint[], now() + interval '5 minutes') returning id`,
    );
    await db().execute(
      sql`update event_seats set rev = rev + 1, status = 'held', hold_id = ${hold!.id}, hold_state = 'active', held_by = ${buyer.id}, held_until = now() + interval '5 minutes' where id = ${seat}`,
    );
    await expectRefused(
      db().execute(sql`update holds set status = 'released', ended_at = now() where id = ${hold!.id}`),
      '23503',
    );
    // The same under REPEATABLE READ, where the check locks the hold's seats before it looks.
    await expectRefused(
      db().transaction(
        async (tx) => {
          await tx.execute(sql`update holds set status = 'released', ended_at = now() where id = ${hold!.id}`);
        },
        { isolationLevel: 'repeatable read' },
      ),
      '23503',
    );
  });

  it('lets a seat point only at an active hold of its event that lists it, and a hold keep its seat list', async () => {
    const { event } = await createOnSaleEvent(db());
    const [listed, other] = await rows<{ id: number }>(
      db(),
      sql`select id from event_seats where event_id = ${event.id} order by idx limit 2`,
    );
    const buyer = await createUser(db());
    const [hold] = await rows<{ id: string }>(
      db(),
      sql`insert into holds (event_id, user_id, seat_count, seat_ids, expires_at) values (${event.id}, ${buyer.id}, 1, array[${listed!.id}]::bigint[], now() + interval '5 minutes') returning id`,
    );
    const point = (seat: number) =>
      db().execute(
        sql`update event_seats set rev = rev + 1, status = 'held', hold_id = ${hold!.id}, hold_state = 'active', held_by = ${buyer.id}, held_until = now() + interval '5 minutes' where id = ${seat}`,
      );
    // A committed hold of another transaction: the seat it lists may point at it, another seat may not.
    await expectRefused(point(other!.id), '23503');
    await point(listed!.id);
    await expectRefused(
      db().execute(sql`update holds set seat_ids = array[${other!.id}]::bigint[] where id = ${hold!.id}`),
    );
  });

  it('holds seats with HOT updates: no index of event_seats changes', async () => {
    const { event } = await createOnSaleEvent(db());
    const [a, b] = await rows<{ id: number }>(
      db(),
      sql`select id from event_seats where event_id = ${event.id} order by idx limit 2`,
    );
    const buyer = await createUser(db());
    // This backend's counts not yet sent to the statistics (PGlite's include earlier transactions): before and after.
    const counts = await db().transaction(async (tx) => {
      const count = async () =>
        (
          await rows<{ updated: number; hot: number }>(
            tx,
            sql`select pg_stat_get_xact_tuples_updated('event_seats'::regclass)::int as updated,
                       pg_stat_get_xact_tuples_hot_updated('event_seats'::regclass)::int as hot`,
          )
        )[0]!;
      const before = await count();
      const [held] = await rows<{ outcome: string }>(
        tx,
        sql`select outcome from hold_seats(gen_random_uuid(), ${event.id}, ${buyer.id}, array[${a!.id}, ${b!.id}]::bigint[],
              now(), now() + interval '10 minutes', 10, now() - interval '1 hour', 100)`,
      );
      expect(held?.outcome).toBe('held');
      const after = await count();
      return { updated: after.updated - before.updated, hot: after.hot - before.hot };
    });
    expect(counts).toEqual({ updated: 2, hot: 2 });
  });

  it('refuses a sold seat without exactly one live ticket', async () => {
    const { event } = await createOnSaleEvent(db());
    const seat = await firstSeat(event.id);
    await expectRefused(db().execute(sql`update event_seats set rev = rev + 1, status = 'sold' where id = ${seat}`));
  });

  it('refuses transitions the state machine does not allow', async () => {
    const { event } = await createOnSaleEvent(db());
    const seat = await firstSeat(event.id);
    await db().execute(sql`update event_seats set rev = rev + 1, status = 'blocked' where id = ${seat}`);
    await expectRefused(db().execute(sql`update event_seats set rev = rev + 1, status = 'sold' where id = ${seat}`));
    await expectRefused(
      db().execute(sql`update event_seats set rev = rev + 1, status = 'nonsense' where id = ${seat}`),
    );
  });

  it('allows at most one live ticket per seat', async () => {
    const { event } = await createOnSaleEvent(db());
    const seat = await firstSeat(event.id);
    const buyer = await createUser(db());
    const [order] = await rows<{ id: string }>(
      db(),
      sql`insert into orders (reference, user_id, event_id, status, email, currency, subtotal_minor, fees_minor, total_minor, paid_at)
          values ('AO-TEST-0001', ${buyer.id}, ${event.id}, 'paid', ${buyer.email}, 'USD', 5000, 0, 5000, now()) returning id`,
    );
    const [item] = await rows<{ id: string }>(
      db(),
      sql`insert into order_items (order_id, event_seat_id, price_minor, tier_name, section_label, row_label, seat_label)
          values (${order!.id}, ${seat}, 5000, 'Standard', 'S1', 'R1', '1') returning id`,
    );
    const ticket = () =>
      sql`insert into tickets (order_id, order_item_id, event_id, event_seat_id, owner_id, nonce) values (${order!.id}, ${item!.id}, ${event.id}, ${seat}, ${buyer.id}, ${crypto.randomUUID()})`;
    await db().transaction(async (tx) => {
      await tx.execute(ticket());
      await tx.execute(sql`update event_seats set rev = rev + 1, status = 'sold' where id = ${seat}`);
    });
    await expectRefused(db().execute(ticket()), '23505');
  });

  it('refuses money that does not add up', async () => {
    const { event } = await createOnSaleEvent(db());
    const buyer = await createUser(db());
    await expectRefused(
      db().execute(
        sql`insert into orders (reference, user_id, event_id, email, currency, subtotal_minor, fees_minor, total_minor)
            values ('AO-TEST-0002', ${buyer.id}, ${event.id}, ${buyer.email}, 'USD', 5000, 250, 5000)`,
      ),
    );
  });
});
