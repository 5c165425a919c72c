import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { installEarlyShedding, POLL_RETRY_AFTER_S } from '@/lib/http/early-shed';
import { metrics } from '@/lib/observability/metrics';

const shedCount = (route: string) => metrics.counter('admitone_load_shed_early_total', '').get({ route });

describe('early load shedding (before routing)', () => {
  it('answers 503 + Retry-After at once for holds beyond what the route could run or queue, and lets others through', async () => {
    // A server class of its own, so the patch does not reach other servers of this process.
    class Server extends http.Server {}
    installEarlyShedding(Server);
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    let reached = 0;
    const server = new Server((req, res) => {
      reached++;
      req.resume();
      void opened.then(() => res.end('ok'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const agent = new http.Agent({ keepAlive: false, maxSockets: 100 });
    const post = (path: string) =>
      new Promise<{ status: number; retryAfter?: string; body: string }>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, retryAfter: res.headers['retry-after'] as string | undefined, body }));
        });
        req.on('error', reject);
        req.end('{}');
      });
    try {
      // Defaults: 8 running + 16 waiting per route.
      const busy = Array.from({ length: 24 }, () => post('/api/events/e1/holds'));
      await expect.poll(() => reached).toBe(24);
      const before = shedCount('holds.create');
      const started = Date.now();
      const shed = await post('/api/events/e2/holds');
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(shed.status).toBe(503);
      expect(shed.retryAfter).toBe('1');
      expect(JSON.parse(shed.body)).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503 });
      expect(shedCount('holds.create')).toBe(before + 1);
      expect(reached).toBe(24);
      // The other shed route has its own budget.
      const other = post('/api/checkout');
      await expect.poll(() => reached).toBe(25);
      open();
      expect((await Promise.all([...busy, other])).every((r) => r.status === 200)).toBe(true);
      // Once the load is gone, holds are served again.
      expect((await post('/api/events/e1/holds')).status).toBe(200);
    } finally {
      agent.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('refuses waiting-room polls while the event loop lags, but never joins, leaves or the shop', async () => {
    class Server extends http.Server {}
    let lagMs = 0;
    installEarlyShedding(Server, { eventLoopLag: () => lagMs });
    const reached: string[] = [];
    const server = new Server((req, res) => {
      reached.push(`${req.method} ${req.url}`);
      req.resume();
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const send = (method: string, path: string) =>
      new Promise<{ status: number; retryAfter?: string; type?: string; body: string }>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, path, method }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, retryAfter: res.headers['retry-after'] as string | undefined, type: res.headers['content-type'], body }));
        });
        req.on('error', reject);
        req.end();
      });
    try {
      const poll = '/api/events/0b7a3f7e-1c2d-4e5f-8a9b-0c1d2e3f4a5b/queue';
      expect((await send('GET', poll)).status).toBe(200);
      // Defaults: polls are refused beyond 100 ms of lag.
      lagMs = 99;
      expect((await send('GET', poll)).status).toBe(200);
      lagMs = 250;
      const before = shedCount('queue.status');
      const shed = await send('GET', poll);
      expect(shed.status).toBe(503);
      expect(shed.retryAfter).toBe(String(POLL_RETRY_AFTER_S));
      expect(shed.type).toBe('application/problem+json');
      expect(JSON.parse(shed.body)).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503 });
      expect((await send('GET', `${poll}?x=1`)).status).toBe(503);
      expect(shedCount('queue.status')).toBe(before + 2);
      // Joining, leaving, the seat map and the shop are not polls.
      for (const [method, path] of [
        ['POST', poll],
        ['DELETE', poll],
        ['GET', `${poll}/draw`],
        ['GET', '/api/events/0b7a3f7e-1c2d-4e5f-8a9b-0c1d2e3f4a5b/availability'],
        ['POST', '/api/events/0b7a3f7e-1c2d-4e5f-8a9b-0c1d2e3f4a5b/holds'],
      ] as const) {
        expect((await send(method, path)).status, `${method} ${path}`).toBe(200);
      }
      expect(reached.filter((r) => r === `GET ${poll}`)).toHaveLength(2);
      lagMs = 0;
      expect((await send('GET', poll)).status).toBe(200);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
