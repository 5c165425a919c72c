import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env } from '@/lib/env';
import { AppError, toProblem } from '@/lib/errors';
import { OwnedNginx } from '../support/nginx-process';
import { freePort } from '../support/redis-process';

/**
 * deploy/nginx.conf, run by a real nginx in front of a stand-in app: the proxy refuses holds and payments beyond the
 * app's own budget with the app's own answer, passes everything else (and the app's own 503s) through untouched, and
 * sets X-Forwarded-For to the client's address whatever the client claims.
 */
describe.skipIf(!OwnedNginx.available() && !process.env.CI)('deploy/nginx.conf in front of the app', () => {
  const budget = env().SHED_MAX_IN_FLIGHT + env().SHED_MAX_WAITING;
  let upstream: http.Server;
  let nginx: OwnedNginx;
  let release!: () => void;
  let released = new Promise<void>((resolve) => (release = resolve));
  let holdsReached = 0;
  const appBusy = JSON.stringify({ code: 'SERVICE_UNAVAILABLE', detail: 'from the app' });

  beforeAll(async () => {
    upstream = http.createServer((req, res) => {
      req.resume();
      if (req.url === '/ready') return res.end('ok');
      if (req.url === '/echo') return res.end(JSON.stringify({ forwardedFor: req.headers['x-forwarded-for'] ?? null }));
      if (req.url === '/api/checkout') {
        res.writeHead(503, { 'content-type': 'application/problem+json', 'retry-after': '7' });
        return res.end(appBusy);
      }
      if (req.method === 'POST' && req.url?.endsWith('/holds')) {
        holdsReached++;
        return void released.then(() => res.end('held'));
      }
      res.end('other');
    });
    const appPort = await freePort();
    await new Promise<void>((resolve) => upstream.listen(appPort, '127.0.0.1', resolve));
    nginx = new OwnedNginx(await freePort(), appPort);
    await nginx.start('/ready');
  }, 30_000);

  afterAll(async () => {
    release();
    await nginx?.stop();
    upstream?.closeAllConnections();
    await new Promise((resolve) => upstream?.close(resolve));
  });

  const send = (method: string, path: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: nginx.port, method, path, agent: false, headers }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end(method === 'POST' ? '{}' : undefined);
    });

  it('refuses holds beyond the budget with the app answer, and serves them again once it frees up', async () => {
    const busy = Array.from({ length: budget }, () =>
      send('POST', '/api/events/e1/holds', { 'content-type': 'application/json' }),
    );
    await expect.poll(() => holdsReached, { timeout: 10_000 }).toBe(budget);
    const started = Date.now();
    const refused = await send('POST', '/api/events/e2/holds', { 'content-type': 'application/json' });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.headers['content-type']).toBe('application/problem+json');
    expect(refused.headers['cache-control']).toBe('no-store');
    // Byte for byte what the app itself answers when it sheds (lib/http/early-shed.ts), so clients cannot tell.
    expect(JSON.parse(refused.body)).toEqual(
      toProblem(
        new AppError('SERVICE_UNAVAILABLE', 'The server is busy. Try again in 1 s.', {
          retryAfter: 1,
          reason: 'overloaded',
        }),
      ),
    );
    expect(holdsReached).toBe(budget);
    // Other methods on the same path, and other routes, are not counted against the budget.
    expect((await send('GET', '/api/events/e1/holds')).status).toBe(200);
    expect((await send('GET', '/api/events/e1/availability')).body).toBe('other');
    release();
    expect((await Promise.all(busy)).every((r) => r.status === 200 && r.body === 'held')).toBe(true);
    released = Promise.resolve();
    expect((await send('POST', '/api/events/e1/holds', { 'content-type': 'application/json' })).status).toBe(200);
  });

  it("passes the app's own 503 through untouched", async () => {
    const answer = await send('POST', '/api/checkout', { 'content-type': 'application/json' });
    expect(answer.status).toBe(503);
    expect(answer.headers['retry-after']).toBe('7');
    expect(answer.body).toBe(appBusy);
  });

  it('sets X-Forwarded-For to the address the client connected from, not the one it claims', async () => {
    const answer = await send('GET', '/echo', { 'x-forwarded-for': '203.0.113.9' });
    expect(JSON.parse(answer.body)).toEqual({ forwardedFor: '127.0.0.1' });
  });
});
