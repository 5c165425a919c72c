import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { earlyShedding, POLL_RETRY_AFTER_S, type EarlyShedOptions } from '@/lib/http/early-shed';
import { HOT_ROUTES } from '@/lib/http/hot-routes';
import { createRequestListener, type WebHandler } from '@/lib/http/node-server';
import { metricValue } from '../support/metrics';

const shedCount = (route: string) => metricValue('admitone_load_shed_early_total', { route });

let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

/** The production server's listener with every hot route answered by `handler`, and Next played by a stub. */
async function listen(handler: WebHandler, shed: EarlyShedOptions) {
  const hot = new Map(HOT_ROUTES.map((r) => [r.name, handler]));
  const listener = createRequestListener({
    hot,
    fallback: (_req, res) => res.end('next'),
    origin: 'http://localhost:3000',
    shedding: earlyShedding(shed),
  });
  server = http.createServer(listener);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const agent = new http.Agent({ keepAlive: false, maxSockets: 100 });
  return (method: string, path: string, body?: string) =>
    new Promise<{ status: number; retryAfter?: string; type?: string; body: string }>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port, path, method, agent, headers: body ? { 'content-type': 'application/json' } : {} },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () =>
            resolve({
              status: res.statusCode!,
              retryAfter: res.headers['retry-after'] as string | undefined,
              type: res.headers['content-type'],
              body: text,
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
}

describe('early load shedding (before any work)', () => {
  it('answers 503 + Retry-After at once for holds beyond what the route could run or queue, and lets others through', async () => {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    let reached = 0;
    const send = await listen(
      async () => {
        reached++;
        await opened;
        return new Response('ok');
      },
      { shopLimit: 24, pollLagMs: 0 },
    );
    const busy = Array.from({ length: 24 }, () => send('POST', '/api/events/e1/holds', '{}'));
    await expect.poll(() => reached).toBe(24);
    const before = await shedCount('holds.create');
    const started = Date.now();
    const shed = await send('POST', '/api/events/e2/holds', '{}');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(shed.status).toBe(503);
    expect(shed.retryAfter).toBe('1');
    expect(JSON.parse(shed.body)).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503 });
    expect(await shedCount('holds.create')).toBe(before + 1);
    expect(reached).toBe(24);
    // The other shed route has its own budget, and a path Next answers is not counted.
    const other = send('POST', '/api/checkout', '{}');
    await expect.poll(() => reached).toBe(25);
    expect((await send('POST', '/api/events/e1/holds/')).body).toBe('next');
    open();
    expect((await Promise.all([...busy, other])).every((r) => r.status === 200)).toBe(true);
    // Once the load is gone, holds are served again.
    expect((await send('POST', '/api/events/e1/holds', '{}')).status).toBe(200);
  });

  it('refuses waiting-room polls while the event loop lags, but never joins, leaves or the shop', async () => {
    let lagMs = 0;
    const reached: string[] = [];
    const send = await listen(
      async (request) => {
        reached.push(`${request.method} ${new URL(request.url).pathname}`);
        return new Response('ok');
      },
      { eventLoopLag: () => lagMs, pollLagMs: 100 },
    );
    const id = '0b7a3f7e-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
    const poll = `/api/events/${id}/queue`;
    expect((await send('GET', poll)).status).toBe(200);
    lagMs = 99;
    expect((await send('GET', poll)).status).toBe(200);
    lagMs = 250;
    const before = await shedCount('queue.status');
    const shed = await send('GET', poll);
    expect(shed.status).toBe(503);
    expect(shed.retryAfter).toBe(String(POLL_RETRY_AFTER_S));
    expect(shed.type).toBe('application/problem+json');
    expect(JSON.parse(shed.body)).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503 });
    expect((await send('GET', `${poll}?x=1`)).status).toBe(503);
    expect(await shedCount('queue.status')).toBe(before + 2);
    // Joining, leaving, the seat map and the shop are not polls.
    for (const [method, path] of [
      ['POST', poll],
      ['DELETE', poll],
      ['GET', `/api/events/${id}/availability`],
      ['POST', `/api/events/${id}/holds`],
    ] as const) {
      expect((await send(method, path, method === 'POST' ? '{}' : undefined)).status, `${method} ${path}`).toBe(200);
    }
    expect((await send('GET', `${poll}/draw`)).body).toBe('next');
    expect(reached.filter((r) => r === `GET ${poll}`)).toHaveLength(2);
    lagMs = 0;
    expect((await send('GET', poll)).status).toBe(200);
  });
});
