import type http from 'node:http';
import { AppError, toProblem } from '@/lib/errors';
import { log } from '@/lib/observability/log';
import { resolveClientAddress } from '@/lib/ratelimit/client-ip';
import type { ProxyList } from '@/lib/ratelimit/proxy-list';
import staticHeaders from '@/lib/security/static-headers.json';
import { connectionContext } from './connection-context';
import type { EarlyShedding } from './early-shed';
import { hotRouteMatcher, type HotRoute } from './hot-routes';

/** A Web-standard route handler as exported by app/api/.../route.ts. */
export type WebHandler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
export type NodeHandler = (req: http.IncomingMessage, res: http.ServerResponse) => unknown;

export type RequestListenerOptions = {
  /** Handlers of the hot routes by route name (lib/http/hot-routes.ts); none in development. */
  hot: ReadonlyMap<string, WebHandler>;
  /** Everything else: Next's request handler. */
  fallback: NodeHandler;
  /** The app's origin: the base of every hot request's URL (never the Host header a client sent). */
  origin: string;
  routes?: readonly HotRoute[];
  shedding?: EarlyShedding;
  trustedProxies?: ProxyList;
  /** Largest body a hot route reads (each route's own, smaller limit applies when it parses the body). */
  maxBodyBytes?: number;
};

const SECURITY_HEADERS: readonly string[] = staticHeaders.flatMap(({ key, value }) => [key, value]);

/**
 * The production server's request listener. Every request runs in a connection context holding the client address
 * resolved from the socket (lib/http/connection-context.ts). Requests for a hot route go straight to its
 * Web-standard handler, with the same wrapper, errors, metrics and logs as under Next, but without Next's router,
 * which costs more CPU than a whole seat hold (docs/decisions/019-hot-routes.md); everything else goes to Next.
 */
export function createRequestListener(options: RequestListenerOptions): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  const match = hotRouteMatcher(options.routes);
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  return (req, res) => {
    const clientAddress = resolveClientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], options.trustedProxies);
    connectionContext.run({ clientAddress }, () => {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const found = options.hot.size ? match(req.method ?? 'GET', q < 0 ? url : url.slice(0, q)) : null;
      const handler = found && options.hot.get(found.route.name);
      if (!found || !handler) {
        void options.fallback(req, res);
        return;
      }
      if (options.shedding && !options.shedding.admit(found.route, res)) return;
      void serveHot(handler, found.params, req, res, options.origin, maxBodyBytes);
    });
  };
}

async function serveHot(handler: WebHandler, params: Record<string, string>, req: http.IncomingMessage, res: http.ServerResponse, origin: string, maxBodyBytes: number): Promise<void> {
  try {
    const method = req.method ?? 'GET';
    let body: Buffer | undefined;
    if (method !== 'GET' && method !== 'HEAD') {
      body = await readBody(req, maxBodyBytes);
      if (!body) {
        writeProblem(res, new AppError('PAYLOAD_TOO_LARGE', `The body may be at most ${maxBodyBytes} bytes.`, { limit: maxBodyBytes }), true);
        return;
      }
    }
    const headers = new Headers();
    const raw = req.rawHeaders;
    for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
    const request = new Request(origin + (req.url ?? '/'), { method, headers, body: body?.length ? new Uint8Array(body) : undefined });
    const response = await handler(request, { params: Promise.resolve(params) });
    await writeResponse(response, res);
  } catch (error) {
    // The route wrapper answers every error itself; this is for the adapter's own failures (a client gone mid-body).
    if (!res.headersSent && !res.destroyed) {
      log().error({ err: error, method: req.method, path: req.url?.split('?')[0] }, 'hot route adapter failed');
      writeProblem(res, new AppError('INTERNAL', 'Something went wrong. Try again.'));
    } else res.destroy();
  }
}

/** The body, or undefined when it is larger than `max` (declared or sent); a client that stops sending rejects. */
function readBody(req: http.IncomingMessage, max: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > max) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.off('data', onData);
        req.resume(); // the answer goes out now; the rest is read and dropped
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.once('error', reject);
    req.once('close', () => {
      if (!req.complete) reject(new Error('client closed the request before its body ended'));
    });
  });
}

async function writeResponse(response: Response, res: http.ServerResponse): Promise<void> {
  const headers: string[] = [...SECURITY_HEADERS];
  response.headers.forEach((value, key) => {
    if (key !== 'set-cookie' && key !== 'content-length') headers.push(key, value);
  });
  for (const cookie of response.headers.getSetCookie()) headers.push('set-cookie', cookie);
  if (!response.body) {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  const bytes = Buffer.from(await response.arrayBuffer());
  headers.push('content-length', String(bytes.length));
  res.writeHead(response.status, headers);
  res.end(bytes);
}

function writeProblem(res: http.ServerResponse, error: AppError, close = false): void {
  const body = JSON.stringify(toProblem(error));
  const headers = [...SECURITY_HEADERS, 'content-type', 'application/problem+json', 'cache-control', 'no-store', 'content-length', String(Buffer.byteLength(body))];
  if (close) headers.push('connection', 'close');
  res.writeHead(error.status, headers);
  res.end(body);
}
