import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { POST as holdRoute } from '@/app/api/events/[id]/holds/route';
import { DELETE as releaseRoute } from '@/app/api/holds/[id]/route';
import { rows } from '@/db/sql';
import type { HoldResponse } from '@/lib/contracts/inventory';
import { ABANDONED_HOLDS, RATE_LIMITS } from '@/lib/ratelimit/policies';
import { admittedCookie } from '../support/admission';
import { useTestCoordinator } from '../support/coordinator';
import { useTestDatabase } from '../support/database';
import { createOnSaleEvent, createUser } from '../support/fixtures';
import { call } from '../support/http';
import { seatIdsOf } from '../support/inventory';
import { sessionCookies } from '../support/sessions';

/** What one account can do to an on-sale by itself: never more seats than its cap, and no endless hold-and-abandon. */
describe('abuse limits', () => {
  const { handle } = useTestDatabase();
  useTestCoordinator();

  async function buyer(eventId: string) {
    const { id } = await createUser(handle().db);
    const [cookie] = await sessionCookies(handle().db, [id]);
    return { id, cookie: await admittedCookie(cookie!, eventId, id, 60) };
  }
  // An address of this run's own: the per-IP budgets live in the shared Redis.
  const ip = `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
  const hold = (eventId: string, cookie: string, seatIds: number[]) =>
    call(holdRoute, {
      method: 'POST',
      params: { id: eventId },
      cookie,
      body: { seatIds },
      headers: { 'x-forwarded-for': ip },
    });

  it('20 parallel holds from one account never take more seats than its per-account cap', async () => {
    const cap = 4;
    const { event } = await createOnSaleEvent(handle().db, {
      rows: 5,
      seatsPerRow: 10,
      event: { perOrderLimit: 2, perAccountLimit: cap },
    });
    const seats = await seatIdsOf(handle(), event.id);
    const me = await buyer(event.id);
    // Distinct seats per request, one or two at a time, all at once.
    const request = (i: number) =>
      hold(event.id, me.cookie, i % 2 ? [seats[i * 2]!] : [seats[i * 2]!, seats[i * 2 + 1]!]);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => request(i)));
    // On a loaded machine the load shedder may answer some with 503 (overloaded, Retry-After): a client sends those
    // again, and so does this test, until every request got an answer about the seats.
    for (let round = 0; round < 5; round++) {
      const shed = answers.flatMap((a, i) =>
        a.status === 503 && (a.body as { code?: string }).code === 'SERVICE_UNAVAILABLE' ? [i] : [],
      );
      if (!shed.length) break;
      await new Promise((r) => setTimeout(r, 1_000));
      for (const [i, answer] of (await Promise.all(shed.map((i) => request(i)))).entries()) answers[shed[i]!] = answer;
    }
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThan(0);
    for (const refused of answers.filter((a) => a.status !== 201))
      expect(refused.body).toMatchObject({ code: expect.stringMatching(/^(SEAT_LIMIT_EXCEEDED|RATE_LIMITED)$/) });
    const [held] = await rows<{ n: number }>(
      handle().db,
      sql`select count(*)::int as n from event_seats where event_id = ${event.id} and held_by = ${me.id} and status = 'held'`,
    );
    const granted = answers
      .filter((a) => a.status === 201)
      .reduce((n, a) => n + (a.body as HoldResponse).seatIds.length, 0);
    expect(held!.n).toBe(granted);
    expect(held!.n).toBeLessThanOrEqual(cap);
    // The cap was reached, not merely approached: the limit is what stopped the rest.
    expect(held!.n).toBeGreaterThanOrEqual(cap - 1);
  });

  it('a hold-and-abandon loop by one account is refused with 429 and Retry-After after the budget of abandoned holds', async () => {
    expect(ABANDONED_HOLDS.limit).toBeLessThan(RATE_LIMITS.holds.perAccount.limit); // so it is this limit that answers, not the request rate
    const { event } = await createOnSaleEvent(handle().db, { rows: 2, seatsPerRow: 10 });
    const seats = await seatIdsOf(handle(), event.id);
    const me = await buyer(event.id);
    for (let loop = 0; loop < ABANDONED_HOLDS.limit; loop++) {
      const held = await hold(event.id, me.cookie, [seats[0]!, seats[1]!]);
      expect(held.status, `loop ${loop}`).toBe(201);
      const id = (held.body as HoldResponse).id;
      expect((await call(releaseRoute, { method: 'DELETE', params: { id }, cookie: me.cookie })).status).toBe(200);
    }
    const refused = await hold(event.id, me.cookie, [seats[0]!, seats[1]!]);
    expect(refused).toMatchObject({ status: 429, body: { code: 'RATE_LIMITED', policy: 'hold-abandon' } });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(ABANDONED_HOLDS.windowMs / 1000);
    const [seat] = await rows<{ status: string }>(
      handle().db,
      sql`select status from event_seats where id = ${seats[0]}`,
    );
    expect(seat!.status).toBe('available');

    // Only this account on this event: another buyer, and the same buyer on another event, still hold at once.
    const other = await buyer(event.id);
    expect((await hold(event.id, other.cookie, [seats[0]!])).status).toBe(201);
    const { event: elsewhere } = await createOnSaleEvent(handle().db, { rows: 1, seatsPerRow: 4 });
    const elsewhereSeats = await seatIdsOf(handle(), elsewhere.id);
    const meElsewhere = await admittedCookie(me.cookie, elsewhere.id, me.id, 60);
    expect((await hold(elsewhere.id, meElsewhere, [elsewhereSeats[0]!])).status).toBe(201);
  });

  it('holds that ended in a purchase or are still active do not count as abandoned', async () => {
    const { event } = await createOnSaleEvent(handle().db, {
      rows: 2,
      seatsPerRow: 10,
      event: { perAccountLimit: 20 },
    });
    const seats = await seatIdsOf(handle(), event.id);
    const me = await buyer(event.id);
    for (let i = 0; i < ABANDONED_HOLDS.limit + 2; i++)
      expect((await hold(event.id, me.cookie, [seats[i]!])).status).toBe(201);
  });
});
