import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { GET as availabilityRoute } from '@/app/api/events/[id]/availability/route';
import { POST as holdRoute } from '@/app/api/events/[id]/holds/route';
import { GET as layoutRoute } from '@/app/api/events/[id]/layout/route';
import { DELETE as releaseRoute, GET as getHoldRoute } from '@/app/api/holds/[id]/route';
import { GET as metricsRoute } from '@/app/api/metrics/route';
import { connectionContext } from '@/lib/http/connection-context';
import type { AvailabilityDelta, AvailabilitySnapshot, HoldResponse, LayoutDocument } from '@/lib/contracts/inventory';
import { changeSeatBlocks } from '@/lib/admin/box-office';
import { holdOutcomes } from '@/lib/inventory/metrics';
import { forgetAvailability, forgetSaleRules, inventoryDeps } from '@/lib/inventory';
import { useTestCoordinator } from '../support/coordinator';
import { useTestDatabase } from '../support/database';
import { createOnSaleEvent, createStadium, createUser } from '../support/fixtures';
import { admittedCookie } from '../support/admission';
import { call, signUp } from '../support/http';
import { seatIdsOf, statusCounts } from '../support/inventory';

describe('holds and availability over HTTP', () => {
  const { handle } = useTestDatabase();
  useTestCoordinator();

  async function setup() {
    forgetSaleRules();
    forgetAvailability();
    const { event } = await createOnSaleEvent(handle().db, { rows: 4, seatsPerRow: 10 });
    const seats = await seatIdsOf(handle(), event.id);
    const buyer = await signUp();
    return { event, seats, buyer: { ...buyer, cookie: await admittedCookie(buyer.cookie, event.id, buyer.id) } };
  }
  const admitted = async (eventId: string) => {
    const person = await signUp();
    return { ...person, cookie: await admittedCookie(person.cookie, eventId, person.id) };
  };
  const hold = (
    eventId: string,
    cookie: string | undefined,
    body: unknown,
    rawBody?: string,
    headers?: Record<string, string>,
  ) =>
    call(holdRoute, {
      method: 'POST',
      params: { id: eventId },
      cookie,
      body: rawBody === undefined ? body : undefined,
      rawBody,
      headers,
    });

  it('answers 201 with the hold and a Location', async () => {
    const { event, seats, buyer } = await setup();
    const res = await hold(event.id, buyer.cookie, { seatIds: seats.slice(0, 2) });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ eventId: event.id, seatIds: seats.slice(0, 2), status: 'active' });
    expect(res.headers.get('location')).toBe(`/api/holds/${(res.body as HoldResponse).id}`);
  });

  it('answers 409 problem+json naming the seats someone else has', async () => {
    const { event, seats, buyer } = await setup();
    const rival = await admitted(event.id);
    await hold(event.id, buyer.cookie, { seatIds: [seats[0]] });
    const res = await hold(event.id, rival.cookie, { seatIds: [seats[0], seats[1]] });
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body).toMatchObject({ code: 'SEATS_UNAVAILABLE', status: 409, unavailableSeatIds: [seats[0]] });
  });

  it('refuses seats everyone can see are gone before reading the session, and only those (issue 14)', async () => {
    const { event, seats, buyer } = await setup();
    const organizer = await createUser(handle().db, { role: 'admin' });
    const deps = await inventoryDeps();
    const block = (action: 'block' | 'unblock') =>
      changeSeatBlocks(deps, {
        eventId: event.id,
        action,
        actorId: organizer.id,
        body: { seatIds: [seats[0]!, seats[1]!], reason: 'sound desk' },
      });
    expect((await block('block')).changed).toHaveLength(2);
    const conflictsAt = async (stage: string) => {
      const res = await connectionContext.run({ clientAddress: '127.0.0.1' }, () => call(metricsRoute, {}));
      const line = new RegExp(`admitone_hold_conflicts_total\\{stage="${stage}"\\} (\\d+)`).exec(String(res.body));
      return Number(line?.[1] ?? 0);
    };
    // A buyer's request brings the event's rules into this process; then its view of the seats loads by itself.
    expect((await hold(event.id, buyer.cookie, { seatIds: [seats[9]] })).status).toBe(201);
    const before = await conflictsAt('memory');
    let signedOut = await hold(event.id, undefined, { seatIds: [seats[0]] });
    for (let i = 0; i < 40 && signedOut.status === 401; i++) {
      await new Promise((r) => setTimeout(r, 50));
      signedOut = await hold(event.id, undefined, { seatIds: [seats[0]] });
    }
    // Without a session: the same 409 an admitted buyer gets, naming the blocked seat.
    expect(signedOut.status).toBe(409);
    expect(signedOut.body).toMatchObject({ code: 'SEATS_UNAVAILABLE', unavailableSeatIds: [seats[0]] });
    const mixed = await hold(event.id, undefined, { seatIds: [seats[2], seats[1]] });
    expect(mixed.body).toMatchObject({ code: 'SEATS_UNAVAILABLE', unavailableSeatIds: [seats[1]] });
    expect(await conflictsAt('memory')).toBe(before + 2);
    // Operators see them; the organizer's dashboard counts buyers' requests only (these need no session).
    expect((await holdOutcomes(handle().db, event.id)).conflicts).toBe(0);
    // An open seat, or a held one (a hold can end at any moment), still needs the session and the admission.
    expect((await hold(event.id, undefined, { seatIds: [seats[2]] })).status).toBe(401);
    expect((await hold(event.id, undefined, { seatIds: [seats[9]] })).status).toBe(401);
    // Twice the same seat, or too many: the whole path's answers (401 first), not an early 409.
    expect((await hold(event.id, undefined, { seatIds: [seats[0], seats[0]] })).status).toBe(401);
    // Malformed bodies are still 422 (the body is read before the session here, as it is for everyone).
    expect((await hold(event.id, undefined, { seatIds: 'all' })).status).toBe(422);

    // Put back on sale: within the view's refresh an admitted buyer holds them.
    expect((await block('unblock')).changed).toHaveLength(2);
    const rival = await admitted(event.id);
    let again = await hold(event.id, rival.cookie, { seatIds: [seats[0], seats[1]] });
    for (let i = 0; i < 40 && again.status === 409; i++) {
      await new Promise((r) => setTimeout(r, 100));
      again = await hold(event.id, rival.cookie, { seatIds: [seats[0], seats[1]] });
    }
    expect(again.status).toBe(201);
  });

  it('answers 401 when signed out', async () => {
    const { event, seats } = await setup();
    const res = await hold(event.id, undefined, { seatIds: [seats[0]] });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('answers 403 without the waiting room’s admission for this event', async () => {
    const { event, seats } = await setup();
    const stranger = await signUp();
    const res = await hold(event.id, stranger.cookie, { seatIds: [seats[0]] });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'QUEUE_TOKEN_REQUIRED', queueUrl: `/events/${event.id}/queue` });
    const other = await createOnSaleEvent(handle().db);
    const elsewhere = await admittedCookie(stranger.cookie, other.event.id, stranger.id);
    expect((await hold(event.id, elsewhere, { seatIds: [seats[0]] })).status).toBe(403);
    expect(await statusCounts(handle(), event.id)).toMatchObject({ held: 0 });
  });

  it('refuses bad input with a 4xx problem and changes nothing', async () => {
    const { event, seats, buyer } = await setup();
    const other = await createOnSaleEvent(handle().db);
    const foreign = await seatIdsOf(handle(), other.event.id);
    const cases: [string, Promise<{ status: number; body: unknown }>, number, string][] = [
      ['malformed JSON', hold(event.id, buyer.cookie, undefined, '{"seatIds": [1,'), 400, 'MALFORMED_REQUEST'],
      [
        'not JSON at all',
        hold(event.id, buyer.cookie, undefined, 'seatIds=1', { 'content-type': 'application/x-www-form-urlencoded' }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
      ['unknown event', hold(crypto.randomUUID(), buyer.cookie, { seatIds: [seats[0]] }), 404, 'NOT_FOUND'],
      ['malformed event id', hold('../../etc/passwd', buyer.cookie, { seatIds: [seats[0]] }), 404, 'NOT_FOUND'],
      ['seats of another event', hold(event.id, buyer.cookie, { seatIds: [foreign[0]] }), 422, 'VALIDATION_FAILED'],
      [
        '10,000 seat ids',
        hold(event.id, buyer.cookie, { seatIds: Array.from({ length: 10_000 }, (_, i) => i + 1) }),
        413,
        'PAYLOAD_TOO_LARGE',
      ],
      [
        '51 seat ids',
        hold(event.id, buyer.cookie, { seatIds: Array.from({ length: 51 }, (_, i) => i + 1) }),
        422,
        'VALIDATION_FAILED',
      ],
      ['negative id', hold(event.id, buyer.cookie, { seatIds: [-5] }), 422, 'VALIDATION_FAILED'],
      ['string id', hold(event.id, buyer.cookie, { seatIds: ['12'] }), 422, 'VALIDATION_FAILED'],
      ['fractional id', hold(event.id, buyer.cookie, { seatIds: [1.5] }), 422, 'VALIDATION_FAILED'],
      ['empty list', hold(event.id, buyer.cookie, { seatIds: [] }), 422, 'VALIDATION_FAILED'],
      ['null body', hold(event.id, buyer.cookie, null), 422, 'VALIDATION_FAILED'],
      ['extra fields', hold(event.id, buyer.cookie, { seatIds: [seats[0]], price: 0 }), 422, 'VALIDATION_FAILED'],
      ['duplicates', hold(event.id, buyer.cookie, { seatIds: [seats[0], seats[0]] }), 422, 'VALIDATION_FAILED'],
    ];
    for (const [name, pending, status, code] of cases) {
      const res = await pending;
      expect({ name, status: res.status, code: (res.body as { code?: string }).code }).toEqual({ name, status, code });
    }
    expect(await statusCounts(handle(), event.id)).toMatchObject({ held: 0 });
    expect(await statusCounts(handle(), other.event.id)).toMatchObject({ held: 0 });
  });

  it('shows a hold to its owner only, and releases it', async () => {
    const { event, seats, buyer } = await setup();
    const stranger = await admitted(event.id);
    const created = (await hold(event.id, buyer.cookie, { seatIds: seats.slice(0, 2) })).body as HoldResponse;
    expect((await call(getHoldRoute, { params: { id: created.id }, cookie: buyer.cookie })).body).toMatchObject({
      id: created.id,
      seats: [{ sectionLabel: 'S1', rowLabel: 'R1', seatLabel: '1', priceMinor: 5000 }, { seatLabel: '2' }],
    });
    expect((await call(getHoldRoute, { params: { id: created.id }, cookie: stranger.cookie })).status).toBe(404);
    expect(
      (await call(releaseRoute, { method: 'DELETE', params: { id: created.id }, cookie: stranger.cookie })).status,
    ).toBe(404);
    expect(
      (await call(releaseRoute, { method: 'DELETE', params: { id: created.id }, cookie: buyer.cookie })).body,
    ).toEqual({ released: 2 });
    expect(await statusCounts(handle(), event.id)).toMatchObject({ held: 0 });
  });

  it('serves availability as one character per seat, the same to everyone, and deltas since a version', async () => {
    const { event, seats, buyer } = await setup();
    const other = await signUp();
    const first = (await call(availabilityRoute, { params: { id: event.id } })).body as AvailabilitySnapshot;
    expect(first).toMatchObject({
      kind: 'snapshot',
      statuses: '0'.repeat(40),
      counts: { available: 40, held: 0, sold: 0, blocked: 0 },
      pollAfterMs: 5_000,
    });
    await hold(event.id, buyer.cookie, { seatIds: [seats[3], seats[4]] });
    // Each process reads the feed every 100 ms at most: the hold shows within that.
    await expect
      .poll(async () =>
        (
          (await call(availabilityRoute, { params: { id: event.id }, cookie: other.cookie }))
            .body as AvailabilitySnapshot
        ).statuses.slice(0, 6),
      )
      .toBe('000110');
    const mine = (await call(availabilityRoute, { params: { id: event.id }, cookie: buyer.cookie }))
      .body as AvailabilitySnapshot;
    expect(mine.statuses.slice(0, 6)).toBe('000110');
    const delta = (
      await call(availabilityRoute, { url: `/?since=${first.version}`, params: { id: event.id }, cookie: other.cookie })
    ).body as AvailabilityDelta;
    expect(delta).toMatchObject({
      kind: 'delta',
      from: first.version,
      changes: [{ status: 'held', positions: [3, 4] }],
    });
    expect(delta.version).toBeGreaterThan(first.version);
    expect(delta.changes[0]!.version).toBe(delta.version);
    expect(JSON.stringify(delta)).not.toContain(buyer.id);
    // A client that has this version is told nothing new, and a client that had it revalidates for free.
    const same = await call(availabilityRoute, { url: `/?since=${delta.version}`, params: { id: event.id } });
    expect(same.body).toMatchObject({ kind: 'delta', changes: [] });
    const snapshot = await call(availabilityRoute, { params: { id: event.id } });
    const etag = snapshot.headers.get('etag');
    expect(etag).toBeTruthy();
    const revalidated = await call(availabilityRoute, {
      params: { id: event.id },
      headers: { 'if-none-match': etag! },
    });
    expect(revalidated.status).toBe(304);
    const bad = await call(availabilityRoute, { url: '/?since=-1', params: { id: event.id } });
    expect(bad.status).toBe(422);
  });

  it('serves an immutable layout with an ETag', async () => {
    const { event } = await setup();
    const res = await call(layoutRoute, { params: { id: event.id } });
    const layout = res.body as LayoutDocument;
    expect(layout.seats.id).toHaveLength(40);
    expect(layout.sections).toEqual([{ label: 'S1', name: 'Section 1' }]);
    expect(res.headers.get('cache-control')).toContain('max-age=86400');
    const again = await call(layoutRoute, {
      params: { id: event.id },
      headers: { 'if-none-match': res.headers.get('etag')! },
    });
    expect(again.status).toBe(304);
  });

  it('keeps a 50,800-seat stadium’s availability to a few kilobytes compressed', async () => {
    const id = await (await createStadium(handle().db)).publish({ name: 'Big Game', performer: 'Teams' });
    const res = await call(availabilityRoute, { params: { id } });
    const text = JSON.stringify(res.body);
    const gz = gzipSync(text).length;
    expect((res.body as AvailabilitySnapshot).statuses).toHaveLength(50_800);
    expect(gz).toBeLessThan(8_000);
    const layoutBody = JSON.stringify((await call(layoutRoute, { params: { id } })).body);
    console.info(
      `stadium availability: ${text.length} bytes, ${gz} gzipped; layout ${layoutBody.length} bytes, ${gzipSync(layoutBody).length} gzipped`,
    );
  });

  it('exposes hold metrics in the Prometheus format', async () => {
    const { event, seats, buyer } = await setup();
    await hold(event.id, buyer.cookie, { seatIds: [seats[0]] });
    // Metrics are for operators: without METRICS_TOKEN, a client connected from loopback.
    const res = await connectionContext.run({ clientAddress: '127.0.0.1' }, () => call(metricsRoute, {}));
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(res.body).toMatch(/admitone_holds_granted_total \d+/);
    expect(res.body).toMatch(/admitone_hold_duration_ms_bucket\{le="50",outcome="granted"\} \d+/);
    expect(res.body).toContain('admitone_hold_conflicts_total');
    expect(res.body).toContain('admitone_hold_database_only_total');
    expect(res.body).toContain('admitone_hold_expiries_total');
    expect(res.body).toContain('admitone_payments_total');
    expect(res.body).toContain('admitone_refunds_total');
    expect(res.body).toContain('admitone_webhooks_total');
    expect(res.body).toContain('admitone_oversold_seats{kind="sold_twice"} 0');
    expect(res.body).toContain('admitone_oversold_seats{kind="sold_without_ticket"} 0');
    // prom-client's process metrics come with them: CPU, memory, GC and event-loop lag.
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_heap_size_used_bytes',
      'nodejs_gc_duration_seconds',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(res.body).toContain(`# TYPE ${name} `);
    }
  });
});
