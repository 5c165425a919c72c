import type http from 'node:http';
import { AppError, toProblem } from '@/lib/errors';
import { log } from '@/lib/observability/log';
import { resolveClientAddress } from '@/lib/ratelimit/client-ip';
import type { ProxyList } from '@/lib/ratelimit/proxy-list';
import staticHeaders from '@/lib/security/static-headers.json';
import { connectionContext, type ConnectionContext } from './connection-context';
import { rawBody } from './response-body';
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
export function createRequestListener(
  options: RequestListenerOptions,
): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  const match = hotRouteMatcher(options.routes);
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  return (req, res) => {
    const clientAddress = resolveClientAddress(
      req.socket.remoteAddress,
      req.headers['x-forwarded-for'],
      options.trustedProxies,
    );
    const context: ConnectionContext = { clientAddress };
    connectionContext.run(context, () => {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const found = options.hot.size ? match(req.method ?? 'GET', q < 0 ? url : url.slice(0, q)) : null;
      const handler = found && options.hot.get(found.route.name);
      if (!found || !handler) {
        void options.fallback(req, res);
        return;
      }
      context.hot = true;
      if (options.shedding && !options.shedding.admit(found.route, res)) return;
      void serveHot(handler, found.params, req, res, options.origin, maxBodyBytes);
    });
  };
}

async function serveHot(
  handler: WebHandler,
  params: Record<string, string>,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  origin: string,
  maxBodyBytes: number,
): Promise<void> {
  try {
    const method = req.method ?? 'GET';
    let body: Buffer | undefined;
    if (method !== 'GET' && method !== 'HEAD') {
      body = await readBody(req, maxBodyBytes);
      if (!body) {
        writeProblem(
          res,
          new AppError('PAYLOAD_TOO_LARGE', `The body may be at most ${maxBodyBytes} bytes.`, { limit: maxBodyBytes }),
          true,
        );
        return;
      }
    }
    const response = await handler(hotRequest(method, origin + (req.url ?? '/'), req.headers, body), {
      params: Promise.resolve(params),
    });
    await writeResponse(response, res);
  } catch (error) {
    // The route wrapper answers every error itself; this is for the adapter's own failures (a client gone mid-body).
    if (!res.headersSent && !res.destroyed) {
      log().error({ err: error, method: req.method, path: req.url?.split('?')[0] }, 'hot route adapter failed');
      writeProblem(res, new AppError('INTERNAL', 'Something went wrong. Try again.'));
    } else res.destroy();
  }
}

/**
 * The request as the handlers read it: method, URL, headers and a body already read. A full `Request` (with its own
 * `Headers`, `AbortSignal` and body stream) costs about 40 µs of CPU to build, a tenth of a refused hold; the hot
 * handlers use only these members (`request.headers`, `request.url`, `request.method`, and the body through
 * lib/http/route.ts readJson), and the headers become a real `Headers` as soon as anything asks for more than
 * `get`/`has` (better-auth does, on a session it has not cached).
 */
function hotRequest(method: string, url: string, headers: http.IncomingHttpHeaders, body: Buffer | undefined): Request {
  return new HotRequest(
    method,
    url,
    new NodeHeaders(headers),
    body?.length ? new Uint8Array(body.buffer, body.byteOffset, body.length) : undefined,
  ) as unknown as Request;
}

class HotRequest {
  readonly bodyUsed = false;
  readonly body: ReturnType<typeof onceStream> | null;
  #signal?: AbortSignal;

  constructor(
    readonly method: string,
    readonly url: string,
    readonly headers: Headers,
    bytes: Uint8Array | undefined,
  ) {
    this.body = bytes ? onceStream(bytes) : null;
  }

  /** Made when asked for (an AbortSignal is most of what a Request costs to build). */
  get signal(): AbortSignal {
    return (this.#signal ??= new AbortController().signal);
  }
}

/** A ReadableStream-like body that yields the bytes once (readers call getReader().read() until done). */
function onceStream(bytes: Uint8Array) {
  return {
    getReader() {
      let done = false;
      return {
        read: async () =>
          done ? { done: true as const, value: undefined } : ((done = true), { done: false as const, value: bytes }),
        cancel: async () => {},
        releaseLock: () => {},
      };
    },
  };
}

/** Headers over Node's parsed ones: `get` and `has` read them directly; anything else fills a real Headers first. */
class NodeHeaders extends Headers {
  #raw: http.IncomingHttpHeaders;
  #filled = false;

  constructor(raw: http.IncomingHttpHeaders) {
    super();
    this.#raw = raw;
  }

  #fill(): void {
    if (this.#filled) return;
    this.#filled = true;
    for (const [name, value] of Object.entries(this.#raw)) {
      if (Array.isArray(value)) for (const v of value) super.append(name, v);
      else if (value !== undefined) super.append(name, value);
    }
  }

  override get(name: string): string | null {
    if (this.#filled) return super.get(name);
    const value = this.#raw[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  }

  override has(name: string): boolean {
    return this.#filled ? super.has(name) : this.#raw[name.toLowerCase()] !== undefined;
  }

  override append(name: string, value: string): void {
    this.#fill();
    super.append(name, value);
  }

  override set(name: string, value: string): void {
    this.#fill();
    super.set(name, value);
  }

  override delete(name: string): void {
    this.#fill();
    super.delete(name);
  }

  override getSetCookie(): string[] {
    this.#fill();
    return super.getSetCookie();
  }

  override forEach(callback: (value: string, key: string, parent: Headers) => void, thisArg?: unknown): void {
    this.#fill();
    super.forEach(callback, thisArg);
  }

  override entries(): HeadersIterator<[string, string]> {
    this.#fill();
    return super.entries();
  }

  override keys(): HeadersIterator<string> {
    this.#fill();
    return super.keys();
  }

  override values(): HeadersIterator<string> {
    this.#fill();
    return super.values();
  }

  override [Symbol.iterator](): HeadersIterator<[string, string]> {
    this.#fill();
    return super[Symbol.iterator]();
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
  const raw = rawBody(response);
  if (raw !== undefined) {
    headers.push('content-length', String(typeof raw === 'string' ? Buffer.byteLength(raw) : raw.length));
    res.writeHead(response.status, headers);
    res.end(raw);
    return;
  }
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
  const headers = [
    ...SECURITY_HEADERS,
    'content-type',
    'application/problem+json',
    'cache-control',
    'no-store',
    'content-length',
    String(Buffer.byteLength(body)),
  ];
  if (close) headers.push('connection', 'close');
  res.writeHead(error.status, headers);
  res.end(body);
}
