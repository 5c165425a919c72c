import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '@/db/sql';
import { MemoryCoordinator } from '@/lib/coordination/memory';
import {
  auditInventory,
  extendHold,
  getAvailability,
  getHoldForViewer,
  placeHold,
  releaseHold,
  sweepExpiredHolds,
} from '@/lib/inventory';
import { useTestCoordinator } from '../support/coordinator';
import { useTestDatabase } from '../support/database';
import { createOnSaleEvent, createUser, createUsers } from '../support/fixtures';
import { fakeClock, seatIdsOf, statusCounts, tally, testDeps } from '../support/inventory';

describe('seat holds', () => {
  const { handle } = useTestDatabase({ maxConnections: 20 });
  const { coordinator } = useTestCoordinator();
  const deps = () => testDeps(handle(), coordinator());

  it('holds seats and answers with the hold, its expiry and the server time', async () => {
    const { event } = await createOnSaleEvent(handle().db);
    const buyer = await createUser(handle().db);
    const seats = (await seatIdsOf(handle(), event.id)).slice(0, 3);
    const hold = await placeHold(deps(), { eventId: event.id, userId: buyer.id, seatIds: seats });
    expect(hold).toMatchObject({ eventId: event.id, seatIds: seats, status: 'active', extended: false });
    expect(new Date(hold.expiresAt).getTime() - new Date(hold.serverTime).getTime()).toBeGreaterThan(
      event.holdMinutes * 60_000 - 5_000,
    );
    expect(await statusCounts(handle(), event.id)).toMatchObject({ held: 3 });
    expect((await auditInventory(handle().db)).violations).toEqual([]);
  });

  it('gives each of 10 seats to exactly one of 1,000 concurrent buyers', async () => {
    const { event } = await createOnSaleEvent(handle().db, { rows: 2, seatsPerRow: 5 });
    const seats = await seatIdsOf(handle(), event.id);
    const buyers = await createUsers(handle().db, 1_000);
    const d = deps();
    const result = await tally(
      buyers.map((b, i) => placeHold(d, { eventId: event.id, userId: b.id, seatIds: [seats[i % 10]!] })),
    );
    expect(result.unexpected).toEqual([]);
    expect(result.granted).toHaveLength(10);
    expect(result.codes).toEqual({ SEATS_UNAVAILABLE: 990 });
    expect(new Set(result.granted.flatMap((h) => h.seatIds)).size).toBe(10);
    const owners = await rows<{ id: number; owners: number }>(
      handle().db,
      sql`select id, count(distinct held_by)::int as owners from event_seats where event_id = ${event.id} group by id`,
    );
    expect(owners.every((o) => o.owners <= 1)).toBe(true);
    expect(await statusCounts(handle(), event.id)).toEqual({ available: 0, held: 10, sold: 0, blocked: 0 });
    expect((await auditInventory(handle().db)).violations).toEqual([]);
  });

  it('grants overlapping multi-seat requests whole or not at all', async () => {
    const { event } = await createOnSaleEvent(handle().db, {
      rows: 10,
      seatsPerRow: 20,
      event: { perOrderLimit: 6, perAccountLimit: 6 },
    });
    const seats = await seatIdsOf(handle(), event.id);
    const buyers = await createUsers(handle().db, 400);
    const d = deps();
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const requests = buyers.map((b) => {
      const n = 1 + Math.floor(random() * 6);
      const start = Math.floor(random() * (seats.length - 12));
      const picked = new Set<number>();
      while (picked.size < n) picked.add(seats[start + Math.floor(random() * 12)]!);
      return { userId: b.id, seatIds: [...picked] };
    });
    const result = await tally(requests.map((r) => placeHold(d, { eventId: event.id, ...r })));
    expect(result.unexpected).toEqual([]);
    const granted = result.granted;
    const allSeats = granted.flatMap((h) => h.seatIds);
    expect(new Set(allSeats).size).toBe(allSeats.length); // no seat in two holds
    const held = await rows<{ id: number | string; hold_id: string }>(
      handle().db,
      sql`select id, hold_id from event_seats where event_id = ${event.id} and status = 'held'`,
    );
    expect(held).toHaveLength(allSeats.length);
    for (const hold of granted) {
      const mine = held.filter((s) => s.hold_id === hold.id).map((s) => Number(s.id));
      expect(mine.sort()).toEqual([...hold.seatIds].sort()); // every granted hold is whole
    }
    expect((await auditInventory(handle().db)).violations).toEqual([]);
  });

  it('never lets one account exceed its limit, even with 20 parallel requests', async () => {
    const { event } = await createOnSaleEvent(handle().db, {
      rows: 5,
      seatsPerRow: 20,
      event: { perOrderLimit: 4, perAccountLimit: 6 },
    });
    const seats = await seatIdsOf(handle(), event.id);
    const buyer = await createUser(handle().db);
    const d = deps();
    const result = await tally(
      Array.from({ length: 20 }, (_, i) =>
        placeHold(d, { eventId: event.id, userId: buyer.id, seatIds: seats.slice(i * 4, i * 4 + (i % 2 ? 2 : 3)) }),
      ),
    );
    expect(result.unexpected).toEqual([]);
    const total = result.granted.reduce((n, h) => n + h.seatIds.length, 0);
    expect(total).toBeLessThanOrEqual(6);
    expect(total).toBeGreaterThanOrEqual(5); // the limit is used, not refused wholesale
    expect(result.codes.SEAT_LIMIT_EXCEEDED).toBeGreaterThan(0);
    expect((await statusCounts(handle(), event.id)).held).toBe(total);
  });

  it('refuses more seats than the per-order limit, saying the limit', async () => {
    const { event } = await createOnSaleEvent(handle().db, { event: { perOrderLimit: 2, perAccountLimit: 4 } });
    const seats = await seatIdsOf(handle(), event.id);
    const buyer = await createUser(handle().db);
    await expect(
      placeHold(deps(), { eventId: event.id, userId: buyer.id, seatIds: seats.slice(0, 3) }),
    ).rejects.toMatchObject({
      code: 'SEAT_LIMIT_EXCEEDED',
      status: 422,
      extras: { limit: 2, scope: 'order' },
    });
    expect(await statusCounts(handle(), event.id)).toMatchObject({ held: 0 });
  });

  it('refuses duplicate seats and seats of another event without holding any', async () => {
    const { event } = await createOnSaleEvent(handle().db);
    const other = await createOnSaleEvent(handle().db);
    const seats = await seatIdsOf(handle(), event.id);
    const foreign = await seatIdsOf(handle(), other.event.id);
    const buyer = await createUser(handle().db);
    await expect(
      placeHold(deps(), { eventId: event.id, userId: buyer.id, seatIds: [seats[0]!, seats[0]!] }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(
      placeHold(deps(), { eventId: event.id, userId: buyer.id, seatIds: [seats[1]!, foreign[0]!] }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      extras: { invalidSeatIds: [foreign[0]] },
    });
    expect(await statusCounts(handle(), event.id)).toMatchObject({ held: 0 });
    expect(await statusCounts(handle(), other.event.id)).toMatchObject({ held: 0 });
  });

  it('refuses events that are not on sale', async () => {
    const soon = await createOnSaleEvent(handle().db, { event: { onSaleAt: new Date(Date.now() + 3_600_000) } });
    const seats = await seatIdsOf(handle(), soon.event.id);
    const buyer = await createUser(handle().db);
    await expect(
      placeHold(deps(), { eventId: soon.event.id, userId: buyer.id, seatIds: [seats[0]!] }),
    ).rejects.toMatchObject({ code: 'EVENT_NOT_ON_SALE' });
    await expect(
      placeHold(deps(), { eventId: crypto.randomUUID(), userId: buyer.id, seatIds: [1] }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('lets someone else take an expired hold’s seats at once, before any sweep', async () => {
    const { event } = await createOnSaleEvent(handle().db);
    const seats = (await seatIdsOf(handle(), event.id)).slice(0, 2);
    const [alice, bob] = [await createUser(handle().db), await createUser(handle().db)];
    const clock = fakeClock();
    const memory = new MemoryCoordinator(clock.ms);
    const d = testDeps(handle(), memory, clock.now);
    const first = await placeHold(d, { eventId: event.id, userId: alice.id, seatIds: seats });
    await expect(placeHold(d, { eventId: event.id, userId: bob.id, seatIds: seats })).rejects.toMatchObject({
      code: 'SEATS_UNAVAILABLE',
    });
    clock.advance(event.holdMinutes * 60_000 + 1);
    const second = await placeHold(d, { eventId: event.id, userId: bob.id, seatIds: seats });
    expect(second.seatIds).toEqual(seats);
    expect(
      (await getHoldForViewer(handle().db, first.id, { id: alice.id, role: 'customer' }, clock.now())).status,
    ).toBe('expired');
    expect((await auditInventory(handle().db, clock.now())).violations).toEqual([]);
    // The availability document already reads the expired hold's seats as taken (by Bob).
    const doc = await getAvailability(handle().db, event.id, { now: clock.now(), fresh: true });
    expect(doc.kind === 'snapshot' && doc.statuses.slice(0, 2)).toBe('11');
  });

  it('releases only for the owner, and frees the seats', async () => {
    const { event } = await createOnSaleEvent(handle().db);
    const seats = (await seatIdsOf(handle(), event.id)).slice(0, 2);
    const [alice, mallory] = [await createUser(handle().db), await createUser(handle().db)];
    const d = deps();
    const hold = await placeHold(d, { eventId: event.id, userId: alice.id, seatIds: seats });
    await expect(releaseHold(d, hold.id, mallory.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(getHoldForViewer(handle().db, hold.id, { id: mallory.id, role: 'customer' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await releaseHold(d, hold.id, alice.id)).toEqual({ released: 2 });
    expect(await releaseHold(d, hold.id, alice.id)).toEqual({ released: 0 });
    expect(await statusCounts(handle(), event.id)).toMatchObject({ held: 0 });
    // Free again for anyone, the filter included.
    expect((await placeHold(d, { eventId: event.id, userId: mallory.id, seatIds: seats })).seatIds).toEqual(seats);
  });

  it('clears a released hold from the filter later when the first clear fails, so its seats sell again', async () => {
    const { event } = await createOnSaleEvent(handle().db);
    const seats = (await seatIdsOf(handle(), event.id)).slice(0, 2);
    const [alice, bob] = [await createUser(handle().db), await createUser(handle().db)];
    // The real coordinator, except that its first clear fails (as a timed-out one does under load).
    let failClears = 1;
    const real = coordinator();
    const filter = Object.create(real.seats) as typeof real.seats;
    filter.clear = async (eventId, seatIds) => {
      if (failClears-- > 0) throw new Error('simulated coordinator timeout');
      return real.seats.clear(eventId, seatIds);
    };
    const flaky = Object.assign(Object.create(real) as typeof real, { seats: filter });
    const d = { ...testDeps(handle(), flaky), tidyRetryMs: [300] };
    const hold = await placeHold(d, { eventId: event.id, userId: alice.id, seatIds: seats });
    expect(await releaseHold(d, hold.id, alice.id)).toEqual({ released: 2 });
    expect(await statusCounts(handle(), event.id)).toMatchObject({ held: 0 });
    // Until the retry, the filter still has Alice's claims and refuses the seats PostgreSQL would sell.
    await expect(placeHold(d, { eventId: event.id, userId: bob.id, seatIds: seats })).rejects.toMatchObject({
      code: 'SEATS_UNAVAILABLE',
    });
    await expect
      .poll(
        () =>
          placeHold(d, { eventId: event.id, userId: bob.id, seatIds: seats }).then(
            (h) => h.seatIds,
            () => null,
          ),
        { timeout: 5_000, interval: 100 },
      )
      .toEqual(seats);
    expect(failClears).toBeLessThan(0);
    expect((await auditInventory(handle().db)).violations).toEqual([]);
  });

  it('keeps a hold whose payment is being processed', async () => {
    const { event } = await createOnSaleEvent(handle().db);
    const seats = (await seatIdsOf(handle(), event.id)).slice(0, 1);
    const alice = await createUser(handle().db);
    const d = deps();
    const hold = await placeHold(d, { eventId: event.id, userId: alice.id, seatIds: seats });
    await handle().db.execute(
      sql`insert into orders (reference, user_id, event_id, hold_id, status, email, currency, subtotal_minor, fees_minor, total_minor)
          values ('AO-PAYING-1', ${alice.id}, ${event.id}, ${hold.id}, 'pending', ${alice.email}, 'USD', 5000, 0, 5000)`,
    );
    await expect(releaseHold(d, hold.id, alice.id)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    expect(await statusCounts(handle(), event.id)).toMatchObject({ held: 1 });
  });

  it('extends a hold once, for its owner', async () => {
    const { event } = await createOnSaleEvent(handle().db);
    const seats = (await seatIdsOf(handle(), event.id)).slice(0, 1);
    const [alice, bob] = [await createUser(handle().db), await createUser(handle().db)];
    const d = deps();
    const hold = await placeHold(d, { eventId: event.id, userId: alice.id, seatIds: seats });
    await expect(extendHold(d, hold.id, bob.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const extended = await extendHold(d, hold.id, alice.id);
    expect(new Date(extended.expiresAt).getTime()).toBeGreaterThan(new Date(hold.expiresAt).getTime());
    expect(extended.extended).toBe(true);
    await expect(extendHold(d, hold.id, alice.id)).rejects.toMatchObject({ code: 'HOLD_ALREADY_EXTENDED' });
    expect((await auditInventory(handle().db)).violations).toEqual([]);
  });

  it('does not extend a hold that lost a seat while the extension was on its way (it had expired meanwhile)', async () => {
    const { event } = await createOnSaleEvent(handle().db);
    const seats = (await seatIdsOf(handle(), event.id)).slice(0, 2);
    const [alice, bob] = [await createUser(handle().db), await createUser(handle().db)];
    // Alice's extension reads the clock just before her hold ends; Bob's hold a moment later, after it ended, takes a
    // seat first. Her extension must not then revive the hold without that seat.
    const before = fakeClock();
    const after = fakeClock(before.now());
    const hold = await placeHold(testDeps(handle(), new MemoryCoordinator(before.ms), before.now), {
      eventId: event.id,
      userId: alice.id,
      seatIds: seats,
    });
    before.advance(event.holdMinutes * 60_000 - 1);
    after.advance(event.holdMinutes * 60_000 + 1);
    await placeHold(testDeps(handle(), new MemoryCoordinator(after.ms), after.now), {
      eventId: event.id,
      userId: bob.id,
      seatIds: seats.slice(1),
    });
    await expect(
      extendHold(testDeps(handle(), new MemoryCoordinator(before.ms), before.now), hold.id, alice.id),
    ).rejects.toMatchObject({ code: 'HOLD_NOT_ACTIVE' });
    expect((await auditInventory(handle().db, after.now())).violations).toEqual([]);
  });

  it('sweeps expired holds, publishing the change', async () => {
    const { event } = await createOnSaleEvent(handle().db);
    const seats = (await seatIdsOf(handle(), event.id)).slice(0, 3);
    const alice = await createUser(handle().db);
    const clock = fakeClock();
    const d = testDeps(handle(), new MemoryCoordinator(clock.ms), clock.now);
    const hold = await placeHold(d, { eventId: event.id, userId: alice.id, seatIds: seats });
    const before = await getAvailability(handle().db, event.id, { now: clock.now(), fresh: true });
    clock.advance(event.holdMinutes * 60_000 + 1);
    expect(await sweepExpiredHolds(d)).toBe(3);
    expect(await sweepExpiredHolds(d)).toBe(0);
    expect((await getHoldForViewer(handle().db, hold.id, { id: alice.id, role: 'customer' }, clock.now())).status).toBe(
      'expired',
    );
    // The feed delivers a change once every transaction older than it has ended, other tests' included.
    await expect
      .poll(() => getAvailability(handle().db, event.id, { since: before.version, now: clock.now(), fresh: true }), {
        timeout: 15_000,
      })
      .toMatchObject({ kind: 'delta', changes: [{ status: 'available', positions: [0, 1, 2] }] });
  });
});
