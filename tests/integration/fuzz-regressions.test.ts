import { NextRequest } from 'next/server';
import Stripe from 'stripe';
import { sql } from 'drizzle-orm';
import { rows } from '@/db/sql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as authGet, POST as authPost } from '@/app/api/auth/[...all]/route';
import { GET as listOrdersRoute } from '@/app/api/orders/route';
import { GET as searchRoute } from '@/app/api/events/route';
import { GET as ordersDeskRoute } from '@/app/api/admin/orders/route';
import { POST as publishRoute } from '@/app/api/admin/events/[id]/publish/route';
import { POST as createEventRoute } from '@/app/api/admin/events/route';
import { PATCH as updateEventRoute } from '@/app/api/admin/events/[id]/route';
import { POST as cancelRoute } from '@/app/api/orders/[id]/cancel/route';
import { POST as deviceKeyRoute } from '@/app/api/tickets/[id]/device-key/route';
import { POST as transferRoute } from '@/app/api/tickets/[id]/transfer/route';
import { POST as webhookRoute } from '@/app/api/webhooks/stripe/route';
import { setPaymentProviderForTests } from '@/lib/checkout/get-payment-provider';
import { SimulatedGateway } from '@/lib/checkout/simulated-gateway';
import { resetEnvForTests } from '@/lib/env';
import { errorResponse } from '@/lib/http/route';
import { useTestCoordinator } from '../support/coordinator';
import { useTestDatabase } from '../support/database';
import { call } from '../support/http';
import { buildWorld, changedTables, snapshotTables, type World } from '../fuzz/world';

/** Requests the fuzzer (tests/integration/fuzz-api.test.ts) once answered with a 500, kept as plain examples. */
describe('inputs the fuzzer found', () => {
  const { handle } = useTestDatabase({ reset: false });
  useTestCoordinator();
  let world: World;
  beforeAll(async () => {
    setPaymentProviderForTests(new SimulatedGateway({ delayMs: 50 }));
    world = await buildWorld(handle(), { others: 1 });
    setPaymentProviderForTests(undefined);
  });
  afterAll(() => {
    delete process.env.STRIPE_WEBHOOK_SECRET;
    resetEnvForTests();
  });

  it('cancelling an order whose id is not a uuid is 404, not 500', async () => {
    const before = await snapshotTables(handle());
    for (const id of ['', 'sqUe7,ewbl', "' OR '1'='1", '\u0000']) {
      const res = await call(cancelRoute, { method: 'POST', params: { id }, cookie: world.owner.cookie });
      expect(res, `id ${JSON.stringify(id)}`).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    }
    expect(changedTables(before, await snapshotTables(handle()))).toEqual([]);
  });

  it('editing an event whose id is not a uuid is 404, not 500, even with a body that changes nothing (seed 1408860938)', async () => {
    const before = await snapshotTables(handle());
    for (const id of ['a'.repeat(10_000), 'not-a-uuid']) {
      const res = await call(updateEventRoute, {
        method: 'PATCH',
        params: { id },
        cookie: world.admin.cookie,
        rawBody: '{"__proto__":{"admin":true}}',
        headers: { origin: 'http://localhost:3000' },
      });
      expect(res, `id of ${id.length} characters`).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    }
    expect(changedTables(before, await snapshotTables(handle()))).toEqual([]);
  });

  it('publishing a draft that already has its seats is 409, not 500 from the duplicate seats', async () => {
    const before = await snapshotTables(handle());
    const res = await call(publishRoute, {
      method: 'POST',
      params: { id: world.draftEventId },
      cookie: world.admin.cookie,
    });
    expect(res).toMatchObject({ status: 409, body: { code: 'INVALID_STATE' } });
    expect(changedTables(before, await snapshotTables(handle()))).toEqual([]);
  });

  it('transferring a ticket whose id is not a uuid is 404, not 500', async () => {
    const before = await snapshotTables(handle());
    for (const id of ['', 'nope', '1; select 1']) {
      const res = await call(transferRoute, {
        method: 'POST',
        params: { id },
        cookie: world.owner.cookie,
        body: { email: world.others[0]!.email },
      });
      expect(res, `id ${JSON.stringify(id)}`).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    }
    expect(changedTables(before, await snapshotTables(handle()))).toEqual([]);
  });

  it('certifying a device key for a ticket whose id is not a uuid is 404, not 500', async () => {
    for (const id of ['Z̷̢͎a̸̛l̵g̶o̸', 'x', '']) {
      const res = await call(deviceKeyRoute, {
        method: 'POST',
        params: { id },
        cookie: world.owner.cookie,
        body: { publicKey: 'A'.repeat(43) },
      });
      expect(res, `id ${JSON.stringify(id)}`).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    }
  });

  it('a session cache cookie that only Node’s lenient base64 could read is ignored, not a 500 from better-auth', async () => {
    // "¤`OR\u0087ÖÌ": Node skips the unknown characters and reads "OR" as the JSON number 9; better-auth throws.
    for (const data of ['%C2%A4%60OR%C2%87%C3%96%C3%8C', 'OQ', 'bnVsbA', '!!!!']) {
      const res = await call(listOrdersRoute, {
        url: '/api/orders',
        cookie: `${world.owner.cookie}; better-auth.session_data=${data}`,
      });
      expect(res.status, data).toBe(200);
    }
  });

  it('a signed webhook body that is not a readable Stripe event is 400 and records nothing', async () => {
    const secret = 'whsec_regression_secret';
    process.env.STRIPE_WEBHOOK_SECRET = secret;
    resetEnvForTests();
    const before = await snapshotTables(handle());
    const bodies = [
      '"f1edd739-0006-1000-bfc3-5ee1ffffffe7"',
      JSON.stringify({ type: 'payment_intent.succeeded' }),
      JSON.stringify({ id: 'evt_\u0000', type: 'customer.created' }),
      JSON.stringify({ id: 'evt_1', type: 'payment_intent.succeeded', data: { object: { id: { nested: true } } } }),
      JSON.stringify({ id: 'evt_2', type: 'charge.refunded', data: { object: { refunds: { data: [{ id: 7 }] } } } }),
    ];
    for (const rawBody of bodies) {
      const res = await call(webhookRoute, {
        method: 'POST',
        rawBody,
        headers: { 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload: rawBody, secret }) },
      });
      expect(res, rawBody).toMatchObject({ status: 400, body: { code: 'MALFORMED_REQUEST' } });
    }
    expect(changedTables(before, await snapshotTables(handle()))).toEqual([]);
    // Our ids in metadata that are not uuids name no order of ours: recorded, acted on as unknown, not a 500.
    const odd = JSON.stringify({
      id: 'evt_3',
      type: 'payment_intent.succeeded',
      data: { object: { id: 'pi_x', metadata: { order_id: "' OR 1=1" } } },
    });
    const res = await call(webhookRoute, {
      method: 'POST',
      rawBody: odd,
      headers: { 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload: odd, secret }) },
    });
    expect(res).toMatchObject({ status: 200, body: { outcome: 'unknown_payment' } });
  });

  it('auth endpoints the app does not use are 404 before better-auth sees them (it logged an error for each call)', async () => {
    const post = (path: string, body: unknown, cookie?: string) =>
      authPost(
        new NextRequest(`http://localhost:3000/api/auth/${path}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            origin: 'http://localhost:3000',
            ...(cookie ? { cookie } : {}),
          },
          body: JSON.stringify(body),
        }),
        { params: Promise.resolve({}) },
      );
    for (const path of [
      'delete-user',
      'update-user',
      'change-password',
      'list-sessions',
      'revoke-sessions',
      'forget-password',
    ]) {
      const res = await post(path, { password: 'x', callbackURL: '/' }, world.owner.cookie);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
    // What the app does use still works.
    const session = await authGet(
      new NextRequest('http://localhost:3000/api/auth/get-session', { headers: { cookie: world.owner.cookie } }),
      { params: Promise.resolve({}) },
    );
    expect(session.status).toBe(200);
    expect(((await session.json()) as { user: { id: string } }).user.id).toBe(world.owner.id);
    const signUp = await post('sign-up/email', {
      email: `fresh-${crypto.randomUUID().slice(0, 8)}@example.test`,
      password: 'correct horse battery staple',
      name: 'Fresh',
    });
    expect(signUp.status).toBe(200);
  });

  it('an auth call with another JSON type (application/problem+json) reaches better-auth as application/json, not as an error it logs (seed 1048229436)', async () => {
    const res = await authPost(
      new NextRequest('http://localhost:3000/api/auth/sign-out', {
        method: 'POST',
        headers: {
          'content-type': 'application/problem+json',
          origin: 'http://localhost:3000',
          cookie: world.owner.cookie,
        },
        body: '{}',
      }),
      { params: Promise.resolve({}) },
    );
    expect(res.status).toBeLessThan(500);
  });

  it('a search with a NUL or other control character reads it as a space, not a 500 from PostgreSQL (seed 1302493914)', async () => {
    for (const url of [
      '/api/events?q=a%00b&minPrice=1',
      '/api/events?q=%00',
      '/api/events?q=hamlet%0A%09&sort=relevance',
      '/api/events?city=Bos%00ton',
    ]) {
      const res = await call(searchRoute, { url, cookie: world.owner.cookie });
      expect(res.status, url).toBe(200);
    }
    expect((await call(searchRoute, { url: '/api/events?city=%00' })).body).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('any other text PostgreSQL cannot store is a 400 that names the character, not a 500', async () => {
    // The orders desk's search once let U+0000 through to an ilike; its schema refuses control characters now.
    const desk = await call(ordersDeskRoute, { url: '/api/admin/orders?q=ab%00cd', cookie: world.admin.cookie });
    expect(desk).toMatchObject({ status: 422, body: { code: 'VALIDATION_FAILED', errors: [{ path: 'q' }] } });
    // The net under every route: an event's performer, whose schema lets U+0000 through to an insert.
    const [{ venue_id: venueId }] = (await rows<{ venue_id: string }>(
      handle().db,
      sql`select venue_id from events where id = ${world.eventId}`,
    )) as [{ venue_id: string }];
    const startsAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const body = {
      name: 'NUL night',
      performer: 'a\u0000b',
      category: 'concert',
      venueId,
      startsAt,
      onSaleAt: new Date().toISOString(),
      tiers: [{ name: 'All', priceMinor: 1000 }],
    };
    const before = await snapshotTables(handle());
    const res = await call(createEventRoute, {
      method: 'POST',
      url: '/api/admin/events',
      cookie: world.admin.cookie,
      headers: { origin: 'http://localhost:3000' },
      body,
    });
    expect(res).toMatchObject({
      status: 400,
      body: { code: 'MALFORMED_REQUEST', detail: expect.stringContaining('U+0000') },
    });
    expect(changedTables(before, await snapshotTables(handle()))).toEqual([]);
    // Drizzle wraps the driver's error; the code is found in its cause.
    const wrapped = Object.assign(new Error('Failed query'), {
      cause: Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' }),
    });
    const answer = errorResponse(wrapped, { requestId: 'test-request' });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ code: 'MALFORMED_REQUEST' });
  });
});
