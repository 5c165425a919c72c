import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHash, createHmac } from 'node:crypto';
import { POST as redeemRoute } from '@/app/api/events/[id]/access-code/route';
import { GET as drawRoute } from '@/app/api/events/[id]/queue/draw/route';
import { GET as availabilityRoute } from '@/app/api/events/[id]/availability/route';
import { GET as layoutRoute } from '@/app/api/events/[id]/layout/route';
import { GET as unlockedLayoutRoute } from '@/app/api/events/[id]/layout/unlocked/route';
import { inLayoutPositions } from '@/components/seat-map/availability';
import type { AvailabilityResponse, AvailabilitySnapshot, LayoutDocument } from '@/lib/contracts/inventory';
import { accessCodes, events, priceTiers } from '@/db/schema';
import { PG, pgErrorCode, rows } from '@/db/sql';
import { resetAuthForTests } from '@/lib/auth/auth.server';
import { AppError } from '@/lib/errors';
import { holdSeats } from '@/lib/inventory/place-hold';
import { createAccessCode, createPresale, redeemAccessCode, setTierHidden } from '@/lib/presale';
import { admissionKey, verifyAdmissionToken } from '@/lib/queue/admission-token';
import { admissionCookieName, readCookie } from '@/lib/queue/cookies';
import { queueContext } from '@/lib/queue/context';
import { endShoppingWindow } from '@/lib/queue/end-shopping-window';
import { getQueueStatus } from '@/lib/queue/get-queue-status';
import { joinQueue } from '@/lib/queue/join-queue';
import { presaleLineId } from '@/lib/queue/presale-line';
import { runQueueTick } from '@/lib/queue/run-queue-tick';
import type { QueueDraw, QueueStatus } from '@/lib/contracts/queue';
import { requiredSecret } from '@/lib/env';
import { admittedCookie } from '../support/admission';
import { admitted } from '../support/checkout';
import { useTestCoordinator } from '../support/coordinator';
import { useTestDatabase } from '../support/database';
import { createOnSaleEvent, createUsers } from '../support/fixtures';
import { call, signUp, signUpAdmin } from '../support/http';
import { testDeps } from '../support/inventory';

const MINUTE = 60_000;
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (e: unknown) => (e instanceof AppError ? e.code : `unexpected: ${String(e)}`),
  );

describe('presale codes: presales, hidden tiers and their own waiting line', () => {
  const { handle } = useTestDatabase();
  const { coordinator } = useTestCoordinator();
  beforeAll(() => resetAuthForTests());

  /** Two sections: S1 Standard, S2 VIP (hidden); general on-sale in `onSaleInMs`; a presale and its code. */
  async function presaleEvent(options: { onSaleInMs: number; presaleStartsInMs: number; maxUses?: number }) {
    const db = handle().db;
    const now = Date.now();
    const { event, admin } = await createOnSaleEvent(db, {
      rows: 2,
      seatsPerRow: 5,
      sections: 2,
      event: {
        onSaleAt: new Date(now + options.onSaleInMs),
        tiers: [
          { name: 'Standard', priceMinor: 5000, color: '#2563eb' },
          { name: 'VIP', priceMinor: 15000, color: '#7c3aed' },
        ],
        assignments: [
          { tier: 'Standard', sectionLabel: 'S1' },
          { tier: 'VIP', sectionLabel: 'S2' },
        ],
      },
    });
    const tiers = await db.select().from(priceTiers).where(eq(priceTiers.eventId, event.id));
    const vip = tiers.find((t) => t.name === 'VIP')!;
    await setTierHidden(db, { eventId: event.id, tierId: vip.id, hidden: true }, admin.id);
    const presale = await createPresale(
      db,
      {
        eventId: event.id,
        name: 'Fan club',
        startsAt: new Date(now + options.presaleStartsInMs),
        endsAt: new Date(now + options.onSaleInMs),
        admissionRatePerMinute: 12,
      },
      admin.id,
    );
    await createAccessCode(
      db,
      {
        eventId: event.id,
        code: 'FANCLUB-24',
        presaleId: presale.id,
        unlocksTierIds: [vip.id],
        maxUses: options.maxUses ?? 100,
        perAccountLimit: 2,
      },
      admin.id,
    );
    const seats = await rows<{ id: number | string; section_label: string }>(
      db,
      sql`select id, section_label from event_seats where event_id = ${event.id} order by idx`,
    );
    const of = (label: string) => seats.filter((s) => s.section_label === label).map((s) => Number(s.id));
    return { event, admin, presale, vip, standardSeats: of('S1'), vipSeats: of('S2') };
  }

  const inventory = () => testDeps(handle(), coordinator());
  const queueDeps = (now?: Date) => ({
    db: handle().db,
    queue: coordinator().queue,
    leases: coordinator().leases,
    now,
  });

  it('counts a code of five uses five times when twenty accounts redeem it at once, and one account once', async () => {
    const { event } = await presaleEvent({ onSaleInMs: 120 * MINUTE, presaleStartsInMs: -MINUTE, maxUses: 5 });
    const buyers = await createUsers(handle().db, 20);
    const outcomes = await Promise.all(
      buyers.map((b) =>
        failure(redeemAccessCode(handle().db, { eventId: event.id, userId: b.id, code: 'fanclub-24' })),
      ),
    );
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(5);
    expect(outcomes.filter((o) => o === 'CONFLICT')).toHaveLength(15);
    const [code] = await handle().db.select().from(accessCodes).where(eq(accessCodes.eventId, event.id));
    expect(code!.uses).toBe(5);
    const [{ n }] = (await rows<{ n: number }>(
      handle().db,
      sql`select count(*)::int as n from access_code_redemptions where code_id = ${code!.id}`,
    )) as [{ n: number }];
    expect(n).toBe(5);

    // One account entering its code twenty times at once: one use.
    await handle().db.update(accessCodes).set({ maxUses: 10 }).where(eq(accessCodes.id, code!.id));
    const [again] = await createUsers(handle().db, 1);
    const repeats = await Promise.all(
      Array.from({ length: 20 }, () =>
        redeemAccessCode(handle().db, { eventId: event.id, userId: again!.id, code: 'FANCLUB-24' }),
      ),
    );
    expect(repeats.filter((r) => !r.already)).toHaveLength(1);
    const [after] = await handle().db.select().from(accessCodes).where(eq(accessCodes.id, code!.id));
    expect(after!.uses).toBe(6);
    // The database refuses an overrun whatever the code does, and a wrong code tells nothing.
    const overrun = await handle()
      .db.execute(sql`update access_codes set uses = max_uses + 1 where id = ${code!.id}`)
      .then(
        () => null,
        (e: unknown) => pgErrorCode(e),
      );
    expect(overrun).toBe(PG.checkViolation);
    expect(
      await failure(redeemAccessCode(handle().db, { eventId: event.id, userId: again!.id, code: 'FANCLUB-25' })),
    ).toBe('NOT_FOUND');
  });

  it('refuses a presale hold without the code and allows it with the code, in the database too', async () => {
    const { event, standardSeats, vipSeats } = await presaleEvent({
      onSaleInMs: 120 * MINUTE,
      presaleStartsInMs: -MINUTE,
    });
    const [outsider, fan] = [await signUp(), await signUp()];
    // Without a code the waiting room is not open yet, and even a genuine general admission cannot hold.
    expect(await failure(admitted(outsider, event.id))).not.toBe('ok');
    const forged = await admittedCookie(outsider.cookie, event.id, outsider.id);
    const hold = (cookie: string, seatIds: number[]) =>
      holdSeats(inventory(), { id: outsider.id }, { eventId: event.id, seatIds, cookieHeader: cookie, ip: null });
    expect(await failure(hold(forged, [standardSeats[0]!]))).toBe('EVENT_NOT_ON_SALE');
    // hold_seats() itself refuses an account without a redeemed presale code before the on-sale.
    const direct = (userId: string, seat: number) =>
      rows<{ outcome: string }>(
        handle().db,
        sql`select outcome from hold_seats(${crypto.randomUUID()}, ${event.id}, ${userId}, ${`{${seat}}`}::bigint[],
              now(), now() + interval '5 minutes', 8, now() - interval '1 hour', 100)`,
      );
    expect((await direct(outsider.id, standardSeats[1]!))[0]!.outcome).toBe('not_on_sale');

    // With the code: the presale line admits at once (nobody ahead), the token carries the presale and the tier.
    await redeemAccessCode(handle().db, { eventId: event.id, userId: fan.id, code: 'FANCLUB-24' });
    const cookie = await admitted(fan, event.id);
    const claims = await verifyAdmissionToken(
      readCookie(cookie, admissionCookieName(event.id))!,
      await admissionKey(requiredSecret('QUEUE_TOKEN_SECRET')),
    );
    expect(claims?.ul).toMatchObject({ t: [expect.any(String)], n: 2 });
    expect(claims?.ul?.p).toBeTruthy();
    const fanHold = (seatIds: number[]) =>
      holdSeats(inventory(), { id: fan.id }, { eventId: event.id, seatIds, cookieHeader: cookie, ip: null });
    await expect(fanHold([standardSeats[2]!, vipSeats[0]!])).resolves.toMatchObject({ status: 'active' });
    // The code's per-account limit (2) holds in the database with the event's (8).
    expect(await failure(fanHold([standardSeats[3]!]))).toBe('SEAT_LIMIT_EXCEEDED');
    expect((await direct(fan.id, standardSeats[4]!))[0]!.outcome).toBe('held');
    // A paid order ends the presale admission in the presale's line: the token holds no more.
    expect(await endShoppingWindow(event.id, fan.id, queueDeps())).toBe(true);
    expect(await failure(fanHold([standardSeats[5]!]))).toBe('QUEUE_TOKEN_REQUIRED');
  });

  it('keeps a hidden tier invisible and unholdable without a code that unlocks it', async () => {
    const { event, standardSeats, vipSeats, vip } = await presaleEvent({
      onSaleInMs: -MINUTE,
      presaleStartsInMs: -2 * MINUTE,
    });
    const [buyer, fan] = [await signUp(), await signUp()];
    const cookie = await admitted(buyer, event.id);
    const hold = (who: { id: string }, c: string, seatIds: number[]) =>
      holdSeats(inventory(), who, { eventId: event.id, seatIds, cookieHeader: c, ip: null });
    await expect(hold(buyer, cookie, [vipSeats[0]!])).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      extras: { invalidSeatIds: [vipSeats[0]] },
    });
    await expect(hold(buyer, cookie, [standardSeats[0]!])).resolves.toMatchObject({ status: 'active' });
    const { getEventDetails } = await import('@/lib/catalog/get-event-details');
    const details = await getEventDetails(handle().db, event.id);
    expect(details.tiers.map((t) => t.name)).toEqual(['Standard']);
    expect(details.sections.map((s) => s.label)).toEqual(['S1']);
    const queue = await getQueueStatus(queueDeps(), { eventId: event.id, accountId: buyer.id, cookieHeader: null });
    expect(queue.status.seats.tiers.map((t) => t.name)).toEqual(['Standard']);

    // Through the API: a wrong code is 404 and tells nothing; the right one says what it unlocked and clears the
    // admission cookie, so the next admission carries the tier.
    const redeem = (code: string) =>
      call(redeemRoute, { method: 'POST', params: { id: event.id }, cookie: fan.cookie, body: { code } });
    expect((await redeem('FANCLUB-99')).body).toMatchObject({ code: 'NOT_FOUND' });
    const redeemed = await redeem(' fanclub-24 ');
    expect(redeemed.body).toMatchObject({ counted: true, hiddenTiers: [{ id: vip.id, name: 'VIP' }] });
    expect(redeemed.headers.get('set-cookie')).toContain(`${admissionCookieName(event.id)}=;`);
    expect((await redeem('FANCLUB-24')).body).toMatchObject({ counted: false });
    const fanCookie = await admitted(fan, event.id);
    await expect(hold(fan, fanCookie, [vipSeats[1]!])).resolves.toMatchObject({ status: 'active' });
    expect(vip.hidden).toBe(false); // the row as created; hidden since setTierHidden
    const [tier] = await handle().db.select().from(priceTiers).where(eq(priceTiers.id, vip.id));
    expect(tier!.hidden).toBe(true);
    const [row] = await handle().db.select().from(events).where(eq(events.id, event.id));
    expect(row!.onSaleAt.getTime()).toBeLessThan(Date.now());
  });

  it('leaves a hidden tier out of the public layout, and shows it to the code holder and to staff only', async () => {
    const { event, vip, standardSeats, vipSeats } = await presaleEvent({
      onSaleInMs: -MINUTE,
      presaleStartsInMs: -2 * MINUTE,
    });
    const [buyer, fan] = [await signUp(), await signUp()];
    const admin = await signUpAdmin(handle().db);
    const layout = async (handler: typeof layoutRoute, cookie?: string) => {
      const answer = await call(handler, { params: { id: event.id }, cookie });
      expect(answer.status).toBe(200);
      return { doc: answer.body as LayoutDocument, headers: answer.headers };
    };
    const names = (doc: LayoutDocument) => ({
      tiers: doc.tiers.map((t) => t.name),
      sections: doc.sections.map((s) => s.label),
      seats: doc.seats.id,
    });

    // The public layout, the same for everyone and cached publicly: no VIP tier, no S2 section, none of its seats,
    // and the seats it lists say where they are in the availability feed.
    const open = await layout(layoutRoute);
    expect(names(open.doc)).toEqual({ tiers: ['Standard'], sections: ['S1'], seats: standardSeats });
    expect(open.doc.seats.position).toEqual(standardSeats.map((_, i) => i));
    expect(open.headers.get('cache-control')).toContain('public');
    expect(JSON.stringify(open.doc)).not.toContain(vip.id);
    expect((await layout(layoutRoute, buyer.cookie)).doc).toEqual(open.doc);

    // The availability feed is one status per position of every seat: it names no seat, tier or price, and the map
    // reads only the positions its layout lists.
    const snapshot = (await call(availabilityRoute, { params: { id: event.id } })).body as AvailabilitySnapshot;
    expect(snapshot.statuses).toHaveLength(standardSeats.length + vipSeats.length);
    expect(inLayoutPositions(snapshot, open.doc).statuses).toHaveLength(standardSeats.length);

    // Without a code, the unlocked layout is the public one, admitted or not.
    const buyerCookie = await admitted(buyer, event.id);
    expect((await layout(unlockedLayoutRoute)).doc).toEqual(open.doc);
    expect((await layout(unlockedLayoutRoute, buyerCookie)).doc).toEqual(open.doc);

    // With the code's admission: the VIP seats too, in a response no shared cache keeps.
    await redeemAccessCode(handle().db, { eventId: event.id, userId: fan.id, code: 'FANCLUB-24' });
    const fanCookie = await admitted(fan, event.id);
    const unlocked = await layout(unlockedLayoutRoute, fanCookie);
    expect(names(unlocked.doc)).toEqual({
      tiers: ['Standard', 'VIP'],
      sections: ['S1', 'S2'],
      seats: [...standardSeats, ...vipSeats],
    });
    expect(unlocked.headers.get('cache-control')).toBe('private, no-cache');
    expect(unlocked.headers.get('etag')).not.toBe(open.headers.get('etag'));
    // The fan's own session without the admission sees what everyone sees.
    expect((await layout(unlockedLayoutRoute, fan.cookie)).doc).toEqual(open.doc);
    // Organizers (the dashboard, the box office) see every tier.
    expect(names((await layout(unlockedLayoutRoute, admin.cookie)).doc).tiers).toEqual(['Standard', 'VIP']);

    // A VIP hold moves the feed; the public map's reading of it leaves the VIP seats out, the fan's map shows them.
    await holdSeats(
      inventory(),
      { id: fan.id },
      { eventId: event.id, seatIds: [vipSeats[0]!], cookieHeader: fanCookie, ip: null },
    );
    const { getAvailability } = await import('@/lib/inventory');
    const now = (await getAvailability(handle().db, event.id, { fresh: true })) as AvailabilitySnapshot;
    expect(inLayoutPositions(now, open.doc).statuses).toBe('0'.repeat(standardSeats.length));
    expect(inLayoutPositions(now, unlocked.doc).statuses[standardSeats.length]).toBe('1');
    const delta: AvailabilityResponse = {
      kind: 'delta',
      eventId: event.id,
      from: now.version,
      version: now.version + 1,
      serverTime: now.serverTime,
      pollAfterMs: 5_000,
      changes: [{ version: now.version + 1, status: 'sold', positions: [3, standardSeats.length + 2] }],
    };
    const positions = (r: AvailabilityResponse) => (r.kind === 'delta' ? r.changes.flatMap((c) => c.positions) : []);
    expect(positions(inLayoutPositions(delta, open.doc))).toEqual([3]);
    expect(positions(inLayoutPositions(delta, unlocked.doc))).toEqual([3, standardSeats.length + 2]);
  });

  it('admits the presale line in its own drawn order at its own rate, and sends it to the general line after', async () => {
    const start = Date.now() + 10 * MINUTE;
    const { event, presale } = await presaleEvent({
      onSaleInMs: 120 * MINUTE,
      presaleStartsInMs: 10 * MINUTE,
    });
    const fans = await createUsers(handle().db, 6);
    for (const fan of fans)
      await redeemAccessCode(handle().db, { eventId: event.id, userId: fan.id, code: 'FANCLUB-24' });
    const before = new Date(start - 5 * MINUTE);
    const entryIds: string[] = [];
    for (const fan of fans) {
      const joined = await joinQueue(queueDeps(before), { eventId: event.id, accountId: fan.id, cookieHeader: null });
      expect(joined.status.state).toBe('prequeue');
      expect(joined.status.onSaleAt).toBe(new Date(start).toISOString()); // the presale's start is this line's on-sale
      entryIds.push(joined.status.entryId!);
    }
    // The presale line's draw is committed to before anyone entered it, and published: the seed stays secret.
    const drawUrl = `/api/events/${event.id}/queue/draw?presale=${presale.id}`;
    const record = async () => {
      const answer = await call(drawRoute, { params: { id: event.id }, url: drawUrl });
      expect(answer.status).toBe(200);
      return answer.body as QueueDraw;
    };
    const committed = await record();
    expect(committed).toMatchObject({ presaleId: presale.id, seed: null, entries: null, drawnAt: null });
    expect(new Date(committed.committedAt).getTime()).toBeLessThanOrEqual(Date.now());
    const waiting = await getQueueStatus(queueDeps(before), {
      eventId: event.id,
      accountId: fans[0]!.id,
      cookieHeader: null,
    });
    expect(waiting.status.fairness).toMatchObject({
      line: 'presale',
      commitment: committed.commitment,
      seed: null,
      drawUrl,
    });
    // The event's own line has no draw yet: nobody has entered it.
    expect(
      (await call(drawRoute, { params: { id: event.id }, url: `/api/events/${event.id}/queue/draw` })).status,
    ).toBe(404);
    // Nobody is in the event's own line, and nobody without a code can join it yet.
    const [outsider] = await createUsers(handle().db, 1);
    expect(
      await failure(joinQueue(queueDeps(before), { eventId: event.id, accountId: outsider!.id, cookieHeader: null })),
    ).toBe('EVENT_NOT_ON_SALE');
    const general = await coordinator().queue.status(event.id, null, start + 1_000, {
      capacity: 500,
      ratePerMinute: 300,
      burst: 25,
      windowMs: 15 * MINUTE,
      prequeue: true,
    });
    expect(general.waiting + general.prequeue + general.active).toBe(0);

    // At the presale's start: drawn, then admitted at 12 a minute (a bucket of one), in the drawn order.
    const at = new Date(start + 1_000);
    const states: QueueStatus[] = [];
    for (const fan of fans)
      states.push(
        (await getQueueStatus(queueDeps(at), { eventId: event.id, accountId: fan.id, cookieHeader: null })).status,
      );
    expect(states.filter((s) => s.state === 'admitted')).toHaveLength(1);
    const positions = states.filter((s) => s.state === 'waiting').map((s) => s.position);
    expect(positions.sort()).toEqual([1, 2, 3, 4, 5]);

    // The record, published at the presale's start, checks out with the rule of docs/fairness.md: the seed matches
    // the commitment, and sorting the entries by HMAC-SHA256 under the seed gives the published order, which is the
    // order the line serves.
    const drawn = await record();
    expect(drawn.commitment).toBe(committed.commitment);
    expect(drawn.seed).toMatch(/^[0-9a-f]{64}$/);
    expect(drawn.entrantCount).toBe(6);
    expect([...drawn.entries!].sort()).toEqual([...entryIds].sort());
    expect(createHash('sha256').update(drawn.seed!, 'utf8').digest('hex')).toBe(drawn.commitment);
    const key = (entry: string) => createHmac('sha256', drawn.seed!).update(entry, 'utf8').digest('hex');
    expect([...drawn.entries!].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))).toEqual(drawn.entries);
    const place = (s: QueueStatus) => (s.state === 'admitted' ? 0 : s.position!);
    const served = states.map((s, i) => ({ entry: entryIds[i]!, place: place(s) }));
    expect(served.sort((a, b) => a.place - b.place).map((s) => s.entry)).toEqual(drawn.entries);
    expect(states.every((s) => s.fairness?.line === 'presale' && s.fairness.seed === drawn.seed)).toBe(true);
    // Fixed after the draw: drawing again (another instance, the background tick) changes nothing.
    const { drawPresaleLine } = await import('@/lib/queue/presale-line');
    expect((await drawPresaleLine(queueDeps(), event.id, presale.id, new Date(start + 2_000))).status).toBe(
      'reapplied',
    );
    await runQueueTick({ ...queueDeps(new Date(start + 3_000)) });
    expect(await record()).toEqual(drawn);
    // Five seconds later the bucket has refilled for one more: the visitor at place 1, nobody else.
    const next = fans[states.findIndex((s) => s.position === 1)]!;
    const later = new Date(start + 6_000);
    const nextStatus = await getQueueStatus(queueDeps(later), {
      eventId: event.id,
      accountId: next.id,
      cookieHeader: null,
    });
    expect(nextStatus.status.state).toBe('admitted');
    // The presale's admission ends with the presale: after it, a fan stands in the event's line like anyone.
    const afterPresale = await queueContext(queueDeps(new Date(start + 111 * MINUTE)), event.id, fans[0]!.id);
    expect(afterPresale.queueId).toBe(event.id);
    const during = await queueContext(queueDeps(at), event.id, fans[0]!.id);
    expect(during.queueId).toBe(presaleLineId(event.id, presale.id));
  });
});
