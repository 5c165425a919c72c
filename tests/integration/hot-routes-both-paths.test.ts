import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, startAppServer, type AppServer } from '../support/app-server';
import { useTestDatabase } from '../support/database';
import { createOnSaleEvent, createUsers } from '../support/fixtures';
import { seatIdsOf } from '../support/inventory';
import { freePort } from '../support/redis-process';
import { realDatabaseUrl, realRedisUrl } from '../support/services';
import { signedSessionCookies } from '../support/sessions';
import { admittedCookie } from '../support/admission';

type Step = { status: number; type: string | null; code?: string; headers: Record<string, string | null> };

/**
 * The hot routes answer the same whichever path serves them: the production server's own dispatcher
 * (lib/http/node-server.ts) or Next's router (HOT_ROUTES=off, as under `next dev` or a serverless host). Two servers
 * of the built app on one database run the same buyer's story on events of their own, and every answer is compared:
 * status, content type, problem code and the headers a client or a proxy relies on.
 */
describe.skipIf(!realDatabaseUrl)('hot routes through both paths', () => {
  const { handle, url } = useTestDatabase({ maxConnections: 10 });
  const servers: { hot: AppServer; next: AppServer } = {} as never;

  beforeAll(async () => {
    await ensureBuilt();
    const env = { DATABASE_URL: url(), ...(realRedisUrl ? { REDIS_URL: realRedisUrl } : {}) };
    servers.hot = await startAppServer(await freePort(), env);
    servers.next = await startAppServer(await freePort(), { ...env, HOT_ROUTES: 'off' });
  }, 300_000);
  afterAll(async () => {
    await Promise.all([servers.hot?.stop(), servers.next?.stop()]);
  });

  /** One buyer's story on an event of its own; every answer's shape. */
  async function story(server: AppServer): Promise<Record<string, Step>> {
    const { event } = await createOnSaleEvent(handle().db, { rows: 1, seatsPerRow: 10 });
    const seats = await seatIdsOf(handle(), event.id);
    const [buyer, other] = await createUsers(handle().db, 2);
    const [buyerCookie, otherCookie] = await signedSessionCookies(handle().db, [buyer!.id, other!.id]);
    const admitted = await admittedCookie(buyerCookie!, event.id, buyer!.id);
    const otherAdmitted = await admittedCookie(otherCookie!, event.id, other!.id);
    const steps: Record<string, Step> = {};
    const send = async (name: string, path: string, init: RequestInit & { headers?: Record<string, string> } = {}) => {
      // A browser on the app's own pages sends its origin (APP_URL: http://localhost:PORT).
      const res = await fetch(`${server.url}${path}`, {
        ...init,
        headers: { origin: `http://localhost:${server.port}`, ...init.headers },
      });
      const type = res.headers.get('content-type');
      const text = await res.text();
      const body = type?.includes('json') && text ? (JSON.parse(text) as Record<string, unknown>) : {};
      steps[name] = {
        status: res.status,
        type: type?.split(';')[0] ?? null,
        ...(typeof body.code === 'string' ? { code: body.code } : {}),
        headers: Object.fromEntries(
          ['x-content-type-options', 'x-frame-options', 'cache-control', 'retry-after'].map((h) => [
            h,
            res.headers.get(h),
          ]),
        ),
      };
      return { res, body };
    };
    const json = (cookie: string, body: unknown, extra: Record<string, string> = {}) => ({
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, ...extra },
      body: JSON.stringify(body),
    });

    const first = await send('availability', `/api/events/${event.id}/availability`);
    const etag = first.res.headers.get('etag');
    expect(etag).toBeTruthy();
    await send('availability revalidated', `/api/events/${event.id}/availability`, {
      headers: { 'if-none-match': etag! },
    });
    await send('availability bad since', `/api/events/${event.id}/availability?since=-1`);
    await send('availability unknown event', `/api/events/00000000-0000-4000-8000-000000000000/availability`);
    await send('hold signed out', `/api/events/${event.id}/holds`, json('', { seatIds: [seats[0]] }));
    await send('hold not admitted', `/api/events/${event.id}/holds`, json(buyerCookie!, { seatIds: [seats[0]] }));
    await send('hold bad json', `/api/events/${event.id}/holds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: admitted },
      body: '{"seatIds": [',
    });
    await send('hold form body', `/api/events/${event.id}/holds`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', cookie: admitted },
      body: 'seatIds=1',
    });
    const held = await send('hold', `/api/events/${event.id}/holds`, json(admitted, { seatIds: [seats[0], seats[1]] }));
    await send('hold taken', `/api/events/${event.id}/holds`, json(otherAdmitted, { seatIds: [seats[1], seats[2]] }));
    const second = await send(
      'hold other',
      `/api/events/${event.id}/holds`,
      json(otherAdmitted, { seatIds: [seats[5]] }),
    );
    await send('release', `/api/holds/${String(second.body.id)}`, {
      method: 'DELETE',
      headers: { cookie: otherAdmitted },
    });
    await send('release unknown', `/api/holds/${crypto.randomUUID()}`, {
      method: 'DELETE',
      headers: { cookie: otherAdmitted },
    });
    await send('queue poll', `/api/events/${event.id}/queue`, { headers: { cookie: otherAdmitted } });
    await send('queue join', `/api/events/${event.id}/queue`, { method: 'POST', headers: { cookie: otherCookie! } });
    const key = crypto.randomUUID();
    const pay = json(admitted, { holdId: held.body.id, paymentMethodId: 'pm_card_visa' }, { 'idempotency-key': key });
    await send('checkout', '/api/checkout', pay);
    await send('checkout replayed', '/api/checkout', pay);
    await send(
      'checkout without key',
      '/api/checkout',
      json(admitted, { holdId: held.body.id, paymentMethodId: 'pm_card_visa' }),
    );
    await send('queue leave', `/api/events/${event.id}/queue`, {
      method: 'DELETE',
      headers: { cookie: otherAdmitted },
    });
    return steps;
  }

  it('answers every step of a buyer’s story the same way on the production server’s hot path and through Next', async () => {
    const hot = await story(servers.hot);
    const viaNext = await story(servers.next);
    expect(hot).toEqual(viaNext);
    // The story went where it should: a hold, a taken seat, a paid checkout and its replay, refusals with their codes.
    expect(hot).toMatchObject({
      'availability revalidated': { status: 304 },
      'hold signed out': { status: 401, code: 'UNAUTHENTICATED' },
      'hold not admitted': { status: 403, code: 'QUEUE_TOKEN_REQUIRED' },
      'hold bad json': { status: 400, code: 'MALFORMED_REQUEST' },
      'hold form body': { status: 415 },
      hold: { status: 201, type: 'application/json', headers: { 'x-content-type-options': 'nosniff' } },
      'hold taken': { status: 409, code: 'SEATS_UNAVAILABLE' },
      checkout: { status: 201 },
      'checkout replayed': { status: 201 },
      'checkout without key': { status: 400, code: 'IDEMPOTENCY_KEY_REQUIRED' },
    });
    for (const server of [servers.hot, servers.next])
      expect(server.output()).not.toMatch(/unhandled error|hot route adapter failed/);
  });
});
