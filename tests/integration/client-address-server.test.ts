import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { HOT_ROUTES } from '@/lib/http/hot-routes';
import { createRequestListener } from '@/lib/http/node-server';
import { clientIp } from '@/lib/ratelimit/client-ip';
import { parseProxyList } from '@/lib/ratelimit/proxy-list';

let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

/** The production server's listener; the hot routes and "Next" both answer with the address the rate limits see. */
async function listen(trusted: string) {
  const answer = async (request: Request) => new Response(clientIp(request.headers) ?? 'unknown');
  const listener = createRequestListener({
    hot: new Map(HOT_ROUTES.map((r) => [r.name, answer])),
    fallback: (req, res) => res.end(clientIp(new Headers(req.headers as Record<string, string>)) ?? 'unknown'),
    origin: 'http://localhost:3000',
    trustedProxies: parseProxyList(trusted),
  });
  server = http.createServer(listener);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return (path: string, xff?: string) =>
    new Promise<string>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path, headers: xff ? { 'x-forwarded-for': xff } : {} }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve(body));
        })
        .on('error', reject);
    });
}

describe('the production server tells every route the client address from the socket', () => {
  it('ignores X-Forwarded-For from a client that is not a trusted proxy, on hot routes and Next routes alike', async () => {
    const get = await listen('');
    expect(await get('/api/bench/noop', '198.51.100.1')).toBe('127.0.0.1');
    expect(await get('/api/events', '198.51.100.2')).toBe('127.0.0.1');
  });

  it('believes the proxy it trusts, and only the hop that proxy added', async () => {
    const get = await listen('127.0.0.1');
    expect(await get('/api/bench/noop', '6.6.6.6, 198.51.100.1')).toBe('198.51.100.1');
    expect(await get('/api/events', '198.51.100.2')).toBe('198.51.100.2');
    expect(await get('/api/events')).toBe('127.0.0.1');
  });
});
