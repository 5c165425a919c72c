import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { DELETE as leaveRoute, GET as statusRoute, POST as joinRoute } from '@/app/api/events/[id]/waitlist/route';
import { rows } from '@/db/sql';
import type { WaitlistStatus } from '@/lib/contracts/waitlist';
import { placeHold } from '@/lib/inventory';
import type { EmailSender } from '@/lib/notifications/email-sender';
import type { WaitlistDeps } from '@/lib/waitlist/deps';
import { joinWaitlist } from '@/lib/waitlist/join-waitlist';
import { offerFreedSeats } from '@/lib/waitlist/offer-freed-seats';
import { runWaitlistOffers } from '@/lib/waitlist/run-waitlist-offers';
import { useTestCoordinator } from '../support/coordinator';
import { useTestDatabase } from '../support/database';
import { createOnSaleEvent, createUser } from '../support/fixtures';
import { call, signUp } from '../support/http';
import { fakeClock, seatIdsOf, testDeps } from '../support/inventory';

const MINUTE = 60_000;
const noMail: EmailSender = { send: async () => {} } as unknown as EmailSender;

/**
 * Issue 18 item 2: a sold-out event's waitlist, offered real seats as they come free (docs/waitlist.md). Real
 * PostgreSQL and Redis; a clock moved by hand stands in for the minutes a hold lasts.
 */
describe('the waitlist', () => {
  const { handle } = useTestDatabase();
  const { coordinator } = useTestCoordinator();
  const db = () => handle().db;

  function world() {
    const clock = fakeClock(new Date(Date.now() - 5 * MINUTE));
    const deps: WaitlistDeps = { ...testDeps(handle(), coordinator(), clock.now), email: noMail };
    return { clock, deps };
  }

  /**
   * An event of one row of `seats` per section, section S1 at 50.00 (and S2, with `sections: 2`, at 80.00), every
   * seat held by another buyer: `blocks` holds, a minute apart.
   */
  async function soldOut(
    deps: WaitlistDeps,
    clock: ReturnType<typeof fakeClock>,
    blocks: number[][],
    { seats = 6, sections = 1 } = {},
  ) {
    const { event } = await createOnSaleEvent(db(), {
      rows: 1,
      seatsPerRow: seats,
      sections,
      event: {
        waitlistOfferMinutes: 10,
        perOrderLimit: 6,
        perAccountLimit: 12,
        ...(sections === 2 && {
          tiers: [
            { name: 'Standard', priceMinor: 5000 },
            { name: 'Premium', priceMinor: 8000 },
          ],
          assignments: [
            { tier: 'Standard', sectionLabel: 'S1' },
            { tier: 'Premium', sectionLabel: 'S2' },
          ],
        }),
      },
    });
    const ids = await seatIdsOf(handle(), event.id);
    const blocker = await createUser(db());
    for (const block of blocks) {
      await placeHold(deps, { eventId: event.id, userId: blocker.id, seatIds: block.map((i) => ids[i]!) });
      clock.advance(MINUTE);
    }
    return { event, ids };
  }

  async function join(deps: WaitlistDeps, eventId: string, partySize: number, maxPriceMinor = 6000) {
    const person = await createUser(db());
    const status = await joinWaitlist(db(), {
      eventId,
      userId: person.id,
      now: deps.now(),
      body: { partySize, maxPriceMinor },
    });
    return { ...person, entryId: status.entry!.id };
  }

  /**
   * The clock passes `ms`; the seat filter's claims on `seatIds` lapse with their holds (in Redis they last the real
   * time, which the hand-moved clock does not move).
   */
  async function pass(clock: ReturnType<typeof fakeClock>, ms: number, eventId: string, seatIds: number[]) {
    clock.advance(ms);
    await coordinator().seats.clear(eventId, seatIds);
  }

  const entryOf = async (id: string) =>
    (
      await rows<{ status: string; hold_id: string | null }>(
        db(),
        sql`select status, hold_id from waitlist_entries where id = ${id}`,
      )
    )[0]!;
  const heldSeats = async (holdId: string) =>
    (await rows<{ id: string }>(db(), sql`select id from event_seats where hold_id = ${holdId} order by id`)).map((r) =>
      Number(r.id),
    );

  it('lets a signed-in buyer join a sold-out event once, see the place and leave; refuses bad input', async () => {
    const { clock, deps } = world();
    const open = (await createOnSaleEvent(db(), { rows: 1, seatsPerRow: 2 })).event;
    const buyer = await signUp();
    const post = (eventId: string, body: unknown, cookie: string | undefined = buyer.cookie) =>
      call(joinRoute, { method: 'POST', params: { id: eventId }, cookie, body });

    // Seats are still on sale: choose them instead.
    expect((await post(open.id, { partySize: 2, maxPriceMinor: 6000 })).body).toMatchObject({
      code: 'INVALID_STATE',
      reason: 'not-sold-out',
    });
    const { event } = await soldOut(deps, clock, [[0, 1, 2, 3, 4, 5]]);
    const anonymous = { method: 'POST', params: { id: event.id }, body: { partySize: 2, maxPriceMinor: 6000 } };
    expect((await call(joinRoute, anonymous)).status).toBe(401);
    for (const bad of [
      { partySize: 0, maxPriceMinor: 6000 },
      { partySize: 2, maxPriceMinor: -1 },
      { partySize: 2, maxPriceMinor: 6000, wheelchairSeats: 3 },
      { partySize: 2, maxPriceMinor: 6000, userId: buyer.id },
      { partySize: '2', maxPriceMinor: 6000 },
      { partySize: 2, maxPriceMinor: 6000, priceTierId: 'not-a-uuid' },
    ])
      expect((await post(event.id, bad)).body, JSON.stringify(bad)).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await post(event.id, { partySize: 7, maxPriceMinor: 6000 })).body).toMatchObject({
      code: 'SEAT_LIMIT_EXCEEDED',
    });
    expect((await post(event.id, { partySize: 2, maxPriceMinor: 4999 })).body).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect((await post(event.id, { partySize: 2, maxPriceMinor: 6000, priceTierId: crypto.randomUUID() })).status).toBe(
      422,
    );
    expect((await post(crypto.randomUUID(), { partySize: 2, maxPriceMinor: 6000 })).status).toBe(404);
    expect((await post('nope', { partySize: 2, maxPriceMinor: 6000 })).status).toBe(404);

    const someoneFirst = await join(deps, event.id, 1);
    const joined = await post(event.id, { partySize: 2, maxPriceMinor: 6000, wheelchairSeats: 1 });
    expect(joined.status).toBe(200);
    const place = joined.body as WaitlistStatus;
    expect(place.entry).toMatchObject({ status: 'waiting', partySize: 2, wheelchairSeats: 1, ahead: 1, offer: null });
    // Joining again keeps the first place (and its needs); the list holds one live entry per account.
    const again = (await post(event.id, { partySize: 4, maxPriceMinor: 9000 })).body as WaitlistStatus;
    expect(again.entry).toMatchObject({ id: place.entry!.id, partySize: 2 });
    const [{ live }] = (await rows<{ live: number }>(
      db(),
      sql`select count(*)::int as live from waitlist_entries where event_id = ${event.id} and status = 'waiting'`,
    )) as [{ live: number }];
    expect(live).toBe(2);

    const read = await call(statusRoute, { params: { id: event.id }, cookie: buyer.cookie });
    expect(read.body).toMatchObject({ entry: { id: place.entry!.id, ahead: 1 } });
    const left = await call(leaveRoute, { method: 'DELETE', params: { id: event.id }, cookie: buyer.cookie });
    expect(left.status).toBe(200);
    expect((left.body as WaitlistStatus).entry).toMatchObject({ status: 'left' });
    expect((await entryOf(someoneFirst.entryId)).status).toBe('waiting');
  });

  it('offers two freed adjacent seats to the first party they fit, skipping a party of four and a lower ceiling', async () => {
    const { clock, deps } = world();
    // S1 (seats 0-3) at 50.00, S2 (seats 4-7) at 80.00. Seats 4-5 in a hold that ends first; the rest held a
    // minute later.
    const { event, ids } = await soldOut(
      deps,
      clock,
      [
        [4, 5],
        [0, 1, 2, 3, 6, 7],
      ],
      { seats: 4, sections: 2 },
    );
    const four = await join(deps, event.id, 4, 9000);
    const cheap = await join(deps, event.id, 2, 6000);
    const two = await join(deps, event.id, 2, 9000);
    const later = await join(deps, event.id, 2, 9000);

    // Nothing is free yet: nobody is offered anything.
    expect(await offerFreedSeats(deps, event.id)).toBe(0);
    // The first hold (8 minutes) runs out, the second not yet.
    await pass(clock, 6.5 * MINUTE, event.id, [ids[4]!, ids[5]!]);
    expect(await offerFreedSeats(deps, event.id)).toBe(1);

    expect((await entryOf(four.entryId)).status).toBe('waiting');
    expect((await entryOf(cheap.entryId)).status).toBe('waiting');
    expect((await entryOf(later.entryId)).status).toBe('waiting');
    const offered = await entryOf(two.entryId);
    expect(offered.status).toBe('offered');
    expect(await heldSeats(offered.hold_id!)).toEqual([ids[4], ids[5]]);
    const [hold] = await rows<{ user_id: string; status: string; expires_at: Date | string }>(
      db(),
      sql`select user_id, status, expires_at from holds where id = ${offered.hold_id}`,
    );
    // A real hold in the buyer's name, for the organizer's offer window (10 minutes here).
    expect(hold).toMatchObject({ user_id: two.id, status: 'active' });
    expect(new Date(hold!.expires_at).getTime()).toBe(clock.ms() + 10 * MINUTE);
    const mail = await rows<{ to_email: string; subject: string; text_body: string }>(
      db(),
      sql`select to_email, subject, text_body from email_outbox where kind = 'waitlist_offer'`,
    );
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ to_email: two.email });
    expect(mail[0]!.text_body).toMatch(/row R1, seat 1\n.*row R1, seat 2\n/);
    expect(mail[0]!.text_body).toContain(`/events/${event.id}#waitlist`);
  });

  it('passes a lapsed offer to the next match', async () => {
    const { clock, deps } = world();
    const { event, ids } = await soldOut(deps, clock, [
      [0, 1],
      [2, 3, 4, 5],
    ]);
    const first = await join(deps, event.id, 2);
    const second = await join(deps, event.id, 2);
    await pass(clock, 6.5 * MINUTE, event.id, [ids[0]!, ids[1]!]);
    expect(await runWaitlistOffers(deps)).toBe(1);
    expect((await entryOf(first.entryId)).status).toBe('offered');

    // The first buyer does not pay within the window: the offer lapses and the seats go to the second.
    await pass(clock, 10 * MINUTE + 1, event.id, ids);
    expect(await runWaitlistOffers(deps)).toBe(1);
    expect((await entryOf(first.entryId)).status).toBe('lapsed');
    const next = await entryOf(second.entryId);
    expect(next.status).toBe('offered');
    expect(await heldSeats(next.hold_id!)).toEqual([ids[0], ids[1]]);
  });

  it('never offers the same seats twice when freed batches are matched at once', async () => {
    const { clock, deps } = world();
    const { event, ids } = await soldOut(
      deps,
      clock,
      [
        [0, 1, 2],
        [3, 4, 5],
        [6, 7, 8],
      ],
      { seats: 9 },
    );
    for (const size of [2, 1, 2, 3, 1, 2, 2]) await join(deps, event.id, size);
    await pass(clock, 10 * MINUTE, event.id, ids); // all three batches are free
    await Promise.all([
      offerFreedSeats(deps, event.id),
      offerFreedSeats(deps, event.id),
      runWaitlistOffers(deps),
      offerFreedSeats(deps, event.id),
    ]);
    // Runs that lost an entry to another run gave their seats back; the next run offers them.
    await runWaitlistOffers(deps);
    const live = await rows<{ user_id: string; id: string; seats: number }>(
      db(),
      sql`select h.user_id, h.id, (select count(*)::int from event_seats es where es.hold_id = h.id) as seats
          from holds h where h.event_id = ${event.id} and h.status = 'active' and h.expires_at > ${clock.now().toISOString()}::timestamptz`,
    );
    const offers = await rows<{ user_id: string; hold_id: string; party_size: number }>(
      db(),
      sql`select user_id, hold_id, party_size from waitlist_entries where event_id = ${event.id} and status = 'offered'`,
    );
    // Every live hold is exactly one recorded offer (no stray holds), one per party, the party's size.
    expect(live.map((h) => h.id).sort()).toEqual(offers.map((o) => o.hold_id).sort());
    expect(new Set(live.map((h) => h.user_id)).size).toBe(live.length);
    for (const o of offers) expect(live.find((h) => h.id === o.hold_id)!.seats).toBe(o.party_size);
    // Nine seats for parties of 2, 1, 2, 3, 1 in order of joining: all nine placed, the last two parties wait.
    expect(offers.reduce((n, o) => n + o.party_size, 0)).toBe(9);
    const [{ held }] = (await rows<{ held: number }>(
      db(),
      sql`select count(*)::int as held from event_seats where event_id = ${event.id} and status = 'held' and held_until > ${clock.now().toISOString()}::timestamptz`,
    )) as [{ held: number }];
    expect(held).toBe(9);
  });
});
