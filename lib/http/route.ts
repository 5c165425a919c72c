import 'server-only';
import type { NextRequest } from 'next/server';
import { ZodError, type z } from 'zod';
import { isDatabaseUnavailable, isUnstorableText } from '@/db/sql';
import { issueMessage } from '@/lib/contracts/issue-message';
import { appUrl, env } from '@/lib/env';
import { AppError, problemResponse } from '@/lib/errors';
import { shedder } from '@/lib/http/load-shedder';
import { bodyResponse, copyResponse } from '@/lib/http/response-body';
import {
  idempotencyKeyOf,
  limitRate,
  resolveViewer,
  type AuthMode,
  type IdempotencyKeyFor,
  type IdempotencyMode,
  type ViewerFor,
} from '@/lib/http/entry-guards';
import { allowedOrigins, crossOriginRefusal, SAFE_METHODS } from '@/lib/http/same-origin';
import { log } from '@/lib/observability/log';
import { httpDuration } from '@/lib/observability/metrics';
import { requestContext } from '@/lib/observability/request-context';
import type { RateLimitName } from '@/lib/ratelimit/policies';

type NextContext = { params: Promise<Record<string, string | string[]>> };

/** A JSON body's shared zod schema, and the most bytes it may have (each route says how big its bodies get). */
export type BodySpec = { schema: z.ZodType; maxBytes: number };

export type RouteOptions = {
  /** The dynamic segments the handler reads (`['id']`): they arrive typed as strings in `params`. */
  params?: readonly string[];
  /** Who may call (lib/http/entry-guards.ts); the handler receives the viewer, non-null for 'viewer' and 'admin'. */
  auth?: AuthMode;
  /** A rate-limit policy counted per account (when signed in) and per client address, before the handler runs. */
  rateLimit?: RateLimitName;
  /** Shed load (503 + Retry-After) beyond SHED_MAX_IN_FLIGHT running requests of this route in this process. */
  shed?: boolean;
  /** The Idempotency-Key header, parsed and validated once; the handler receives it as `idempotencyKey`. */
  idempotency?: IdempotencyMode;
  /**
   * What a state-changing request's body may be. 'json' (the default): application/json (or a +json type), or no
   * body at all; anything else is 415, whether or not the handler reads the body, so a cross-site `text/plain` form
   * or a `no-cors` fetch never reaches a handler. 'form' adds HTML form encodings (the header's sign-out button).
   * `{ schema, maxBytes }` (a zod schema from lib/contracts) is 'json' whose body the wrapper reads and validates (422
   * VALIDATION_FAILED, 400 MALFORMED_REQUEST for broken JSON, 413 beyond `maxBytes`): the handler gets it typed.
   */
  body?: 'json' | 'form' | BodySpec;
  /**
   * Who may send a state-changing request. 'same-origin' (the default): a browser request from any other origin, even
   * another port of the same host, is 403 FORBIDDEN (lib/http/same-origin.ts). 'any': only for endpoints that no
   * browser session authenticates, each saying why (the Stripe webhook is signed, cron calls carry a bearer secret).
   */
  origin?: 'same-origin' | 'any';
  /**
   * A refusal that is the same whoever asks, from what everyone may see (the hold route: seats already sold). With a
   * body schema, the body is read and validated first, then this runs before `auth`: an error it returns is the
   * answer, and nothing about the caller is looked up. It must not depend on the caller, and must be cheap (no I/O).
   */
  refuseEarly?: (context: { params: Record<string, string>; body: unknown }) => Error | undefined;
};

type ParamsOf<O> = O extends { params: readonly (infer K extends string)[] }
  ? { [P in K]: string }
  : Record<string, never>;
type BodyOf<O> = O extends { body: { schema: infer S extends z.ZodType } } ? z.infer<S> : undefined;

/** What a handler receives: only what its options promise is typed as present. */
export type RouteContext<O extends RouteOptions> = {
  request: NextRequest;
  params: ParamsOf<O>;
  viewer: ViewerFor<O['auth']>;
  body: BodyOf<O>;
  idempotencyKey: IdempotencyKeyFor<O['idempotency']>;
  requestId: string;
  /** performance.now() when the request arrived, for a Server-Timing breakdown that includes the guards. */
  started: number;
};

/**
 * Every route handler goes through here: it gets a request id, any error becomes problem+json with a stable code
 * (unexpected ones are logged and answered with an opaque 500), and its latency is recorded by route. The guards are
 * options, checked in this order before the handler runs, because security depends on it: a state change (any method
 * but GET, HEAD, OPTIONS) must come from our own origin with a JSON body, if any (`origin`, `body`), before anything
 * is read; then who calls (`auth`), their budget (`rateLimit`), the idempotency key (`idempotency`), and last the
 * body, validated against its schema (read before `auth` only for a route with `refuseEarly`, which answers what is
 * the same for every caller). Load shedding (`shed`) wraps all of it, so a refused request costs nothing.
 */
export function route<const O extends RouteOptions>(
  name: string,
  options: O,
  handler: (context: RouteContext<O>) => Promise<Response>,
) {
  const run = options.shed ? sheddingFor(name) : undefined;
  const body = typeof options.body === 'object' ? options.body : undefined;
  const guarded = async (
    request: NextRequest,
    context: NextContext,
    requestId: string,
    started: number,
  ): Promise<Response> => {
    const params = ((await context?.params) ?? {}) as ParamsOf<O>;
    const readBody = async () =>
      (body ? await readJson(request, body.schema, { maxBytes: body.maxBytes }) : undefined) as BodyOf<O>;
    const early = options.refuseEarly ? { body: await readBody() } : undefined;
    if (early) {
      const refusal = options.refuseEarly!({ params, body: early.body });
      if (refusal) throw refusal;
    }
    const viewer = (await resolveViewer(request.headers, options.auth)) as ViewerFor<O['auth']>;
    await limitRate(options.rateLimit, viewer, request.headers);
    const idempotencyKey = (
      options.idempotency ? idempotencyKeyOf(request.headers.get('idempotency-key'), options.idempotency) : null
    ) as IdempotencyKeyFor<O['idempotency']>;
    const parsed = early ? early.body : await readBody();
    return handler({ request, params, viewer, body: parsed, idempotencyKey, requestId, started });
  };
  return async (request: NextRequest, context: NextContext): Promise<Response> => {
    const started = performance.now();
    const requestId = validRequestId(request.headers.get('x-request-id')) ?? crypto.randomUUID();
    return requestContext.run({ requestId, route: name }, async () => {
      let response: Response;
      try {
        if (!SAFE_METHODS.has(request.method)) checkStateChange(request.headers, options);
        response = run
          ? await run(() => guarded(request, context, requestId, started))
          : await guarded(request, context, requestId, started);
      } catch (error) {
        response = errorResponse(error, { requestId, route: name, method: request.method });
      }
      response = withRequestId(response, requestId);
      for (const cookie of requestContext.getStore()?.setCookies ?? []) response.headers.append('set-cookie', cookie);
      const ms = performance.now() - started;
      httpDuration.observe({ route: name, method: request.method, status: response.status }, ms);
      if (ms > SLOW_MS)
        log().warn({ method: request.method, status: response.status, ms: Math.round(ms) }, 'slow request');
      else log().debug({ method: request.method, status: response.status, ms: Math.round(ms * 10) / 10 }, 'request');
      return response;
    });
  };
}

const JSON_TYPE = /^application\/([\w.+-]+\+)?json\b/i;
const FORM_TYPE = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

let originCache: { appUrl: string; allowed: ReadonlySet<string> } | undefined;
function ourOrigins(): ReadonlySet<string> {
  const url = appUrl();
  if (originCache?.appUrl !== url) originCache = { appUrl: url, allowed: allowedOrigins(url) };
  return originCache.allowed;
}

/** The origin and body-type rules for a state-changing request: header reads and a set lookup, no I/O. */
function checkStateChange(headers: Headers, options: RouteOptions): void {
  if (options.origin !== 'any') {
    const refusal = crossOriginRefusal(headers, ourOrigins());
    if (refusal) throw new AppError('FORBIDDEN', refusal, { reason: 'cross-origin' });
  }
  const type = headers.get('content-type');
  if (type !== null) {
    if (JSON_TYPE.test(type) || (options.body === 'form' && FORM_TYPE.test(type))) return;
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      `Send the body as application/json, not ${type.split(';')[0]!.trim().slice(0, 100)}.`,
    );
  }
  // A body without a declared type (a no-cors fetch of a Blob, for one) is refused too; no body needs no type.
  const length = headers.get('content-length');
  if ((length !== null && length.trim() !== '0') || headers.has('transfer-encoding')) {
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      'Send the body as application/json (the request named no Content-Type).',
    );
  }
}

/**
 * Runs work within the process's load-shedding pool `name` (shared by every caller of that name: the checkout route
 * and the checkout page's server action share 'checkout.create'), or throws SERVICE_UNAVAILABLE; a plain call when
 * SHED_MAX_IN_FLIGHT is 0.
 */
export function sheddingFor(name: string): <T>(fn: () => Promise<T>) => Promise<T> {
  let pool: ReturnType<typeof shedder> | null | undefined;
  return <T>(fn: () => Promise<T>): Promise<T> => {
    if (pool === undefined) {
      const e = env();
      pool =
        e.SHED_MAX_IN_FLIGHT > 0
          ? shedder(name, () => ({
              maxInFlight: e.SHED_MAX_IN_FLIGHT,
              maxWaiting: e.SHED_MAX_WAITING,
              maxWaitMs: e.SHED_MAX_WAIT_MS,
            }))
          : null;
    }
    return pool ? pool.run(fn) : fn();
  };
}

/** Sets X-Request-Id; a library's response with immutable headers (better-auth's redirects) is copied first. */
function withRequestId(response: Response, requestId: string): Response {
  try {
    response.headers.set('x-request-id', requestId);
    return response;
  } catch {
    const copy = copyResponse(response, {
      status: response.status,
      statusText: response.statusText,
      headers: new Headers(response.headers),
    });
    copy.headers.set('x-request-id', requestId);
    return copy;
  }
}

/** Requests slower than this are logged as warnings (the rest at debug level). */
const SLOW_MS = 1_000;

const validRequestId = (value: string | null) => (value && /^[\w.-]{8,100}$/.test(value) ? value : undefined);

/** Any error as the response a route answers: problem+json with the code toAppError gives it. */
export function errorResponse(
  error: unknown,
  context: { requestId: string; route?: string; method?: string },
): Response {
  return problemResponse(toAppError(error, context));
}

/**
 * Any error as the AppError an entry point answers with, for routes and server actions alike: refusals keep their
 * code, invalid input is VALIDATION_FAILED, a character PostgreSQL cannot store is MALFORMED_REQUEST, a database that
 * does not answer is SERVICE_UNAVAILABLE (logged), and anything else is logged with its context and answered INTERNAL
 * with the request id and nothing of the cause.
 */
export function toAppError(error: unknown, context: { requestId: string; route?: string; method?: string }): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof ZodError) return validationError(error);
  if (isUnstorableText(error)) {
    // The statement failed as a whole, so nothing was written.
    log().warn({ err: error, ...context }, 'request with a character PostgreSQL cannot store');
    return new AppError(
      'MALFORMED_REQUEST',
      'The request contains a character that cannot be stored (U+0000). Remove it and try again.',
    );
  }
  if (isDatabaseUnavailable(error)) {
    log().error({ err: error, ...context }, 'database unavailable');
    return new AppError('SERVICE_UNAVAILABLE', 'The database is not answering. Try again in a few seconds.', {
      retryAfter: 5,
    });
  }
  log().error({ err: error, ...context }, 'unhandled error');
  return new AppError('INTERNAL', `Something went wrong. Quote request id ${context.requestId} if you contact us.`);
}

function validationError(error: ZodError): AppError {
  const errors = error.issues
    .slice(0, 20)
    .map((issue) => ({ path: issue.path.join('.'), message: issueMessage(issue) }));
  const first = errors[0];
  const detail = first ? `${first.path ? `${first.path}: ` : ''}${first.message}` : 'The request is not valid.';
  return new AppError('VALIDATION_FAILED', detail, { errors });
}

/** Reads a JSON body with a size limit and validates it with the shared zod schema. */
async function readJson<S extends z.ZodType>(
  request: Request,
  schema: S,
  { maxBytes }: { maxBytes: number },
): Promise<z.infer<S>> {
  const type = request.headers.get('content-type');
  if (type && !JSON_TYPE.test(type)) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', `Send the body as application/json, not ${type.split(';')[0]}.`);
  }
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > maxBytes)
    throw new AppError('PAYLOAD_TOO_LARGE', `The body may be at most ${maxBytes} bytes.`, { limit: maxBytes });
  const text = await readLimited(request, maxBytes);
  if (!type && text.length > 0)
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      'Send the body as application/json (the request named no Content-Type).',
    );
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError('MALFORMED_REQUEST', 'The body is not valid JSON.');
  }
  return parseWith(schema, body);
}

/** Reads a JSON body as text, for callers that report positions in it (e.g. a layout file's line numbers). */
export async function readJsonText(request: Request, options: { maxBytes: number }): Promise<string> {
  const type = request.headers.get('content-type');
  if (type && !JSON_TYPE.test(type)) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', `Send the body as application/json, not ${type.split(';')[0]}.`);
  }
  if (Number(request.headers.get('content-length') ?? 0) > options.maxBytes) {
    throw new AppError('PAYLOAD_TOO_LARGE', `The body may be at most ${options.maxBytes} bytes.`, {
      limit: options.maxBytes,
    });
  }
  const text = await readLimited(request, options.maxBytes);
  if (!type && text.length > 0)
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      'Send the body as application/json (the request named no Content-Type).',
    );
  return text;
}

/**
 * Reads a body as text, stopping at `maxBytes` whatever the request declared (a chunked body declares nothing): 413
 * as soon as one byte more arrives, and the rest is never buffered. For bodies that must stay byte-exact (a signed
 * webhook); everything else declares its schema as route()'s `body`.
 */
export async function readRawText(request: Request, maxBytes: number): Promise<string> {
  if (Number(request.headers.get('content-length') ?? 0) > maxBytes) {
    throw new AppError('PAYLOAD_TOO_LARGE', `The body may be at most ${maxBytes} bytes.`, { limit: maxBytes });
  }
  return readLimited(request, maxBytes);
}

async function readLimited(request: Request, maxBytes: number): Promise<string> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new AppError('PAYLOAD_TOO_LARGE', `The body may be at most ${maxBytes} bytes.`, { limit: maxBytes });
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error);
  return result.data;
}

/** Validates the query string (repeated keys become arrays). */
export function readQuery<S extends z.ZodType>(request: Request, schema: S): z.infer<S> {
  const params = new URL(request.url).searchParams;
  const object: Record<string, string | string[]> = {};
  for (const k of new Set(params.keys())) {
    const all = params.getAll(k);
    object[k] = all.length > 1 ? all : all[0]!;
  }
  return parseWith(schema, object);
}

export function json(data: unknown, init: ResponseInit & { headers?: Record<string, string> } = {}): Response {
  return bodyResponse(JSON.stringify(data), {
    ...init,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...init.headers },
  });
}
