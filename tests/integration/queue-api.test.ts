import { NextRequest } from 'next/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { GET as cronTick } from '@/app/api/cron/queue/route';
import { GET as getDraw } from '@/app/api/events/[id]/queue/draw/route';
import { DELETE, GET, POST } from '@/app/api/events/[id]/queue/route';
import { resetAuthForTests } from '@/lib/auth/auth.server';
import type { RateLimitStore } from '@/lib/coordination/rate-limits/port';
import type { QueueStore } from '@/lib/queue/store/port';
import { queueStatusSchema } from '@/lib/contracts/queue';
import { AppError, problemResponse } from '@/lib/errors';
import { admissionKey, signAdmissionToken, verifyAdmissionToken } from '@/lib/queue/admission-token';
import { assertAdmitted } from '@/lib/queue/assert-admitted';
import { admissionCookieName, readCookie } from '@/lib/queue/cookies';
import { endShoppingWindow } from '@/lib/queue/end-shopping-window';
import { gate } from '@/lib/queue/gate';
import { enforceRateLimit } from '@/lib/ratelimit/enforce-rate-limit';
import { useTestCoordinator } from '../support/coordinator';
import { useTestDatabase } from '../support/database';
import { createOnSaleEvent } from '../support/fixtures';
import { cookiePair, withCookies } from '../support/browsers';
import { signUp } from '../support/http';
import { metricValue } from '../support/metrics';

const base = 'http://localhost:3000';
let ipCounter = 0;
/** Each test its own client address, so per-IP budgets of one test do not spill into another. */
const newIp = () => `203.0.113.${++ipCounter}`;
const call = async (handler: typeof GET, method: string, eventId: string, cookie?: string, ip = '198.51.100.1') =>
  handler(
    new NextRequest(`${base}/api/events/${eventId}/queue`, {
      method,
      headers: { ...(cookie ? { cookie } : {}), 'x-forwarded-for': ip },
    }),
    {
      params: Promise.resolve({ id: eventId }),
    },
  );
const seatsRequest = (eventId: string, cookie: string) =>
  new Request(`${base}/api/events/${eventId}/holds`, { method: 'POST', headers: { cookie } });
const code = async (promise: Promise<unknown>) =>
  promise.then(
    () => 'passed',
    (e: unknown) => (e instanceof AppError ? `${e.status} ${e.code}` : String(e)),
  );

describe('queue API and the admission check of the hold and checkout APIs', () => {
  const { handle } = useTestDatabase();
  const { coordinator } = useTestCoordinator();
  beforeAll(() => resetAuthForTests());

  it('asks for an account', async () => {
    const { event } = await createOnSaleEvent(handle().db);
    const response = await call(POST, 'POST', event.id);
    expect(response.status).toBe(401);
    expect((await response.json()).code).toBe('UNAUTHENTICATED');
  });

  it('admits at once when there is no line and sets an HttpOnly, SameSite=Lax admission cookie bound to the session', async () => {
    const { event } = await createOnSaleEvent(handle().db);
    const buyer = await signUp();
    const response = await call(POST, 'POST', event.id, buyer.cookie, newIp());
    expect(response.status).toBe(200);
    const status = queueStatusSchema.parse(await response.json());
    expect(status).toMatchObject({ state: 'admitted', admission: { redirectTo: `/events/${event.id}/seats` } });
    const setCookie = response.headers.get('set-cookie')!;
    expect(setCookie).toMatch(new RegExp(`^${admissionCookieName(event.id).replace('.', '\\.')}=`));
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).not.toContain('Secure');
    expect(Number(/Max-Age=(\d+)/.exec(setCookie)![1])).toBeGreaterThan(14 * 60);
    const [name, token] = cookiePair(setCookie);
    const claims = await verifyAdmissionToken(token, await admissionKey(process.env.QUEUE_TOKEN_SECRET!));
    expect(claims).toMatchObject({ ev: event.id, sub: buyer.id });
    expect(Math.abs(claims!.exp * 1000 - Date.parse(status.admission!.until))).toBeLessThan(1_000);

    const browser = withCookies(buyer.cookie, { [name]: token });
    expect(
      await gate(`/events/${event.id}/seats`, browser, await admissionKey(process.env.QUEUE_TOKEN_SECRET!)),
    ).toEqual({ allow: true, eventId: event.id });
    await expect(assertAdmitted(seatsRequest(event.id, browser), event.id, { id: buyer.id })).resolves.toBeUndefined();
    // Coming back to the queue page with the cookie: still admitted, on the token's strength.
    expect((await (await call(GET, 'GET', event.id, browser, newIp())).json()).state).toBe('admitted');
  });

  it('refuses the hold and checkout APIs (403 QUEUE_TOKEN_REQUIRED) without a valid admission of this account and session', async () => {
    const db = handle().db;
    const { event } = await createOnSaleEvent(db);
    const { event: other } = await createOnSaleEvent(db);
    const alice = await signUp({ name: 'Alice' });
    const bob = await signUp({ name: 'Bob' });
    const [name, token] = cookiePair(
      (await call(POST, 'POST', event.id, alice.cookie, newIp())).headers.get('set-cookie'),
    );
    const aliceBrowser = withCookies(alice.cookie, { [name]: token });
    const check = (
      cookie: string,
      viewer: { id: string },
      eventId = event.id,
      deps: { now?: Date; queue?: QueueStore } = {},
    ) => code(assertAdmitted(seatsRequest(eventId, cookie), eventId, viewer, deps));

    expect(await check(aliceBrowser, { id: alice.id })).toBe('passed');
    expect(await check(alice.cookie, { id: alice.id }), 'no token').toBe('403 QUEUE_TOKEN_REQUIRED');
    expect(
      await check(aliceBrowser, { id: alice.id }, event.id, { now: new Date(Date.now() + 16 * 60_000) }),
      'expired',
    ).toBe('403 QUEUE_TOKEN_REQUIRED');
    expect(
      await check(withCookies(alice.cookie, { [admissionCookieName(other.id)]: token }), { id: alice.id }, other.id),
      'another event',
    ).toBe('403 QUEUE_TOKEN_REQUIRED');
    const claims = (await verifyAdmissionToken(token, await admissionKey(process.env.QUEUE_TOKEN_SECRET!)))!;
    const forged = await signAdmissionToken(
      claims,
      await admissionKey('an-attacker-secret-that-is-long-enough-012345'),
    );
    expect(await check(withCookies(alice.cookie, { [name]: forged }), { id: alice.id }), 'another key').toBe(
      '403 QUEUE_TOKEN_REQUIRED',
    );
    expect(
      await check(withCookies(bob.cookie, { [name]: token }), { id: bob.id }),
      "another account's copied cookie",
    ).toBe('403 QUEUE_TOKEN_REQUIRED');
    expect(await check(aliceBrowser, { id: bob.id }), 'the right session but another viewer').toBe(
      '403 QUEUE_TOKEN_REQUIRED',
    );
    // The problem document the API answers with.
    const problem = problemResponse(
      new AppError('QUEUE_TOKEN_REQUIRED', 'x', { queueUrl: `/events/${event.id}/queue` }),
    );
    expect(problem.status).toBe(403);

    // Redis down: the admitted shopper keeps shopping on the token.
    const down = Object.create(coordinator().queue) as QueueStore;
    down.admissionEnded = async () => {
      throw new Error('connection refused');
    };
    expect(await check(aliceBrowser, { id: alice.id }, event.id, { queue: down })).toBe('passed');

    // Checkout done: the window ends, the token is refused from then on, and a new admission works again.
    expect(
      await endShoppingWindow(event.id, alice.id, { db, queue: coordinator().queue, leases: coordinator().leases }),
    ).toBe(true);
    expect(await check(aliceBrowser, { id: alice.id }), 'ended').toBe('403 QUEUE_TOKEN_REQUIRED');
    const again = await call(POST, 'POST', event.id, aliceBrowser, newIp());
    expect((await again.json()).state).toBe('admitted');
    const [, fresh] = cookiePair(again.headers.get('set-cookie'));
    expect(await check(withCookies(alice.cookie, { [name]: fresh }), { id: alice.id })).toBe('passed');
  });

  it('lines up a second buyer at a busy event and admits them when the first checks out', async () => {
    const db = handle().db;
    const { event } = await createOnSaleEvent(db, { event: { queueCapacity: 1 } });
    const first = await signUp();
    const second = await signUp();
    const ip = newIp();
    expect((await (await call(POST, 'POST', event.id, first.cookie, ip)).json()).state).toBe('admitted');
    const waiting = queueStatusSchema.parse(await (await call(POST, 'POST', event.id, second.cookie, ip)).json());
    expect(waiting).toMatchObject({ state: 'waiting', position: 1, ahead: 0, waiting: 1, active: 1, capacity: 1 });
    expect(waiting.eta).toMatchObject({ basis: 'settings' });
    expect(waiting.pollAfterMs).toBe(2_000);
    expect(waiting.seats.tiers[0]).toMatchObject({ name: 'Standard', left: 50, total: 50 });
    const polled = await call(GET, 'GET', event.id, second.cookie, ip);
    expect(polled.headers.get('set-cookie')).toBeNull();
    expect((await polled.json()).state).toBe('waiting');

    const admissions = () => metricValue('admitone_queue_admissions_total', { event: event.id });
    expect(await admissions()).toBe(1);
    await endShoppingWindow(event.id, first.id, { db, queue: coordinator().queue, leases: coordinator().leases });
    // The checkout that ended the first window admitted the second visitor on its way, and counted it.
    expect(await admissions()).toBe(2);
    const admitted = await call(GET, 'GET', event.id, second.cookie, ip);
    expect((await admitted.json()).state).toBe('admitted');
    expect(admitted.headers.get('set-cookie')).toMatch(/^a1q\./);

    // Leaving ends the window: the place frees, the cookie is cleared.
    const left = await call(DELETE, 'DELETE', event.id, second.cookie, ip);
    expect((await left.json()).state).toBe('none');
    expect(left.headers.get('set-cookie')).toContain('Max-Age=0');
  });

  it('answers 429 with Retry-After when an account joins too often, and recovers', async () => {
    const { event } = await createOnSaleEvent(handle().db);
    const buyer = await signUp();
    const ip = newIp();
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await call(POST, 'POST', event.id, buyer.cookie, ip)).status);
    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
    const limited = await call(POST, 'POST', event.id, buyer.cookie, ip);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await limited.json()).toMatchObject({ code: 'RATE_LIMITED', policy: 'queue-join', retryAfter });
    // Another account from another address is not affected.
    expect((await call(POST, 'POST', event.id, (await signUp()).cookie, newIp())).status).toBe(200);

    // Recovery, with a one-second window so the test need not wait a minute.
    const budgets = { perAccount: { limit: 2, windowMs: 1_000 } };
    const account = crypto.randomUUID();
    const limit = () => code(enforceRateLimit('queue-join', { accountId: account }, { budgets }));
    await new Promise((r) => setTimeout(r, 1_000 - (Date.now() % 1_000) + 5));
    expect([await limit(), await limit(), await limit()]).toEqual(['passed', 'passed', '429 RATE_LIMITED']);
    await new Promise((r) => setTimeout(r, 2_050));
    expect(await limit()).toBe('passed');
  });

  it('keeps limiting per instance when the shared limiter fails', async () => {
    const broken = Object.create(coordinator().rateLimits) as RateLimitStore;
    broken.limit = async () => {
      throw new Error('connection refused');
    };
    const budgets = { perIp: { limit: 2, windowMs: 60_000 } };
    const ip = newIp();
    const limit = () => code(enforceRateLimit('queue-status', { ip }, { rateLimits: broken, budgets }));
    expect([await limit(), await limit(), await limit()]).toEqual(['passed', 'passed', '429 RATE_LIMITED']);
  });

  it('publishes the draw record and protects the cron route with its secret', async () => {
    const db = handle().db;
    const { event } = await createOnSaleEvent(db, {
      event: { onSaleAt: new Date(Date.now() + 3_600_000), prequeueOpensAt: new Date(Date.now() - 60_000) },
    });
    const buyer = await signUp();
    expect((await (await call(POST, 'POST', event.id, buyer.cookie, newIp())).json()).state).toBe('prequeue');
    // An address of its own: per-IP budgets live in the shared Redis, where other test files (the fuzzer) spend the
    // budget of requests that name no address.
    const draw = await getDraw(
      new NextRequest(`${base}/api/events/${event.id}/queue/draw`, { headers: { 'x-forwarded-for': newIp() } }),
      { params: Promise.resolve({ id: event.id }) },
    );
    expect(draw.status).toBe(200);
    expect(await draw.json()).toMatchObject({ eventId: event.id, seed: null, entries: null, drawnAt: null });

    const cron = (authorization?: string) =>
      cronTick(new NextRequest(`${base}/api/cron/queue`, { headers: authorization ? { authorization } : {} }), {
        params: Promise.resolve({}),
      });
    expect((await cron()).status).toBe(401);
    expect((await cron('Bearer wrong')).status).toBe(401);
    const ok = await cron(`Bearer ${process.env.CRON_SECRET}`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ draws: 0 });
    expect(readCookie('a=1; b=2', 'b')).toBe('2');
  });
});
