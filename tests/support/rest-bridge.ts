import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import IORedis from 'ioredis';

/**
 * A small Upstash-REST-compatible server in front of a plain Redis: POST / (one command), /pipeline and
 * /multi-exec, bearer-token auth, and base64 replies when the client asks (`Upstash-Encoding: base64`).
 * Test support only: it lets the stock HTTP client of @upstash/redis be tested against the real Redis here (the
 * coordinator's contract suite), so it is not part of the product.
 */
export async function startRestBridge(options: { redisUrl: string; token: string; port?: number; host?: string }) {
  const redis = new IORedis(options.redisUrl, { maxRetriesPerRequest: 1 });
  const expected = Buffer.from(`Bearer ${options.token}`);

  const encode = (value: unknown, base64: boolean): unknown => {
    if (!base64) return value;
    if (typeof value === 'string') return Buffer.from(value).toString('base64');
    if (Array.isArray(value)) return value.map((v) => encode(v, base64));
    return value;
  };
  const run = async (command: unknown): Promise<{ result?: unknown; error?: string }> => {
    if (!Array.isArray(command) || command.length === 0) return { error: 'ERR command must be a non-empty array' };
    try {
      const [name, ...args] = command.map(String);
      return { result: await redis.call(name!, ...args) };
    } catch (error) {
      return { error: (error as Error).message };
    }
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const auth = Buffer.from(req.headers.authorization ?? '');
      if (auth.length !== expected.length || !timingSafeEqual(auth, expected))
        return send(401, { error: 'Unauthorized' });
      if (req.method !== 'POST') return send(405, { error: 'Method not allowed' });
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return send(400, { error: 'ERR body is not JSON' });
      }
      const base64 = String(req.headers['upstash-encoding'] ?? '').toLowerCase() === 'base64';
      const path = (req.url ?? '/').split('?')[0];
      const withEncoding = (r: { result?: unknown; error?: string }) =>
        r.error ? r : { result: encode(r.result, base64) };
      if (path === '/pipeline') {
        if (!Array.isArray(body)) return send(400, { error: 'ERR pipeline body must be an array' });
        const results = [];
        for (const command of body) results.push(withEncoding(await run(command)));
        return send(200, results);
      }
      if (path === '/multi-exec') {
        if (!Array.isArray(body)) return send(400, { error: 'ERR multi-exec body must be an array' });
        const multi = redis.multi();
        for (const command of body as unknown[][]) multi.call(String(command[0]), ...command.slice(1).map(String));
        const results = (await multi.exec()) ?? [];
        return send(
          200,
          results.map(([error, result]) => withEncoding(error ? { error: error.message } : { result })),
        );
      }
      if (path === '/') {
        const result = await run(body);
        return send(result.error ? 400 : 200, withEncoding(result));
      }
      return send(404, { error: 'Not found' });
    });
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      redis.disconnect();
    },
  };
}
