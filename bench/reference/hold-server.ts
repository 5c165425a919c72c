/**
 * The reference hold server of `npm run bench:holds`: what a hold costs when nothing but the work itself runs.
 * Plain node:http + postgres.js (prepared statements) + ioredis, answering POST /api/events/{id}/holds like the app:
 *
 * 1. the signed session cache cookie, verified with lib/auth/session-cache.ts (verified sessions kept 30 s, as the
 *    app's viewer cache keeps them);
 * 2. the admission token (HS256 JWT in the `a1q.<event>` cookie, lib/queue/cookies.ts), verified synchronously with
 *    node:crypto: signature, expiry, event, account and the session binding (verified pairs kept until they expire,
 *    as the app's gate keeps them);
 * 3. the JSON body, read and validated (at most 8 KB, 1..50 distinct seat ids of this event, the per-order limit);
 * 4. the app's claim script (CLAIM of lib/coordination/seats/redis.ts) with EVALSHA: a conflict is answered here;
 * 5. PostgreSQL decides with the app's hold_seats(), which also checks the account's seat and hold-and-abandon
 *    limits (the call is `holdSeats` below, the one place to adapt when its signature changes; the server checks
 *    the signature when it starts);
 * 6. 201 with the hold as JSON, or 409/422 problem+json with the app's codes.
 *
 * Not done by default (the app does them, inside its claim script): the two hold budgets and the check that the
 * admission was not ended early. REF_CHECKS=ended adds the latter as a ZSCORE.
 * Started by bench/holds.ts as a child process of its own, so its CPU is read from /proc like the app's.
 *
 * Environment: PORT, DATABASE_URL, REDIS_URL, AUTH_SECRET, QUEUE_TOKEN_SECRET, REF_DB_POOL (20), REF_CHECKS.
 *
 * It repeats a few checks of lib/inventory on purpose (the sale rules, the hold's answer): it is the reference written
 * without the app's framework, so a duplicate scan pairing it with lib/ is expected; keep it that way.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import IORedis from 'ioredis';
import postgres from 'postgres';
import { readSessionCache } from '@/lib/auth/session-cache';
import { seatKey } from '@/lib/coordination/seats/port';
import { CLAIM } from '@/lib/coordination/seats/redis';
import { ERROR_CODES, problemType, type ErrorCode } from '@/lib/errors';
import { sessionBinding } from '@/lib/queue/admission-token';
import { admissionCookieName, readCookie, readSessionCookie } from '@/lib/queue/cookies';
import { ABANDONED_HOLDS } from '@/lib/ratelimit/policies';

type Sql = postgres.Sql;
type HoldOutcome = {
  outcome: 'held' | 'not_on_sale' | 'limit' | 'taken' | 'abandoned';
  owned: number | null;
  taken: (number | string)[] | null;
  abandoned: number | null;
};

/** hold_seats() as lib/inventory/place-hold.ts (commitHold) calls it: seats in id order; asked again (at most 3
 * times) when it reports a serialization failure or a deadlock. Keep the two the same. */
const HOLD_SEATS_SIGNATURE =
  'p_hold uuid, p_event uuid, p_user text, p_seats bigint[], p_now timestamp with time zone, p_until timestamp with time zone, p_account_limit integer, p_abandon_since timestamp with time zone, p_abandon_limit integer';
async function holdSeats(
  sql: Sql,
  a: {
    holdId: string;
    eventId: string;
    userId: string;
    seatIds: number[];
    now: Date;
    expiresAt: Date;
    perAccountLimit: number;
  },
): Promise<HoldOutcome | undefined> {
  const seats = `{${[...a.seatIds].sort((x, y) => x - y).join(',')}}`;
  const since = new Date(a.now.getTime() - ABANDONED_HOLDS.windowMs).toISOString();
  for (let attempt = 1; ; attempt++) {
    try {
      const [row] = await sql<
        HoldOutcome[]
      >`select outcome, owned, taken, abandoned from hold_seats(${a.holdId}::uuid, ${a.eventId}::uuid, ${a.userId}, ${seats}::bigint[],
        ${a.now.toISOString()}::timestamptz, ${a.expiresAt.toISOString()}::timestamptz, ${a.perAccountLimit}::int, ${since}::timestamptz, ${ABANDONED_HOLDS.limit}::int)`;
      return row;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt >= 3 || (code !== '40001' && code !== '40P01')) throw error;
      count('retry');
    }
  }
}

const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`reference hold server: ${name} is required`);
  return value;
};

const AUTH_SECRET = env('AUTH_SECRET');
const QUEUE_SECRET = env('QUEUE_TOKEN_SECRET');
const CHECKS = new Set((process.env.REF_CHECKS ?? '').split(',').filter(Boolean));
const sql = postgres(env('DATABASE_URL'), {
  max: Number(process.env.REF_DB_POOL ?? 20),
  onnotice: () => {},
  prepare: true,
});
const redis = new IORedis(env('REDIS_URL'), { maxRetriesPerRequest: 1, enableOfflineQueue: true });
redis.defineCommand('claimSeats', { lua: CLAIM });
// The rare path only (PostgreSQL refused what Redis granted): give this request's claims back.
redis.defineCommand('releaseSeats', {
  lua: "local n = 0 for _, k in ipairs(KEYS) do if redis.call('GET', k) == ARGV[1] then redis.call('DEL', k); n = n + 1 end end return n",
});
type Scripts = {
  claimSeats(n: number, ...args: string[]): Promise<unknown[]>;
  releaseSeats(n: number, ...args: string[]): Promise<number>;
};
const scripts = redis as unknown as Scripts;

const counts: Record<string, number> = {};
const count = (what: string) => (counts[what] = (counts[what] ?? 0) + 1);

// --- Sessions (the app's 30-second viewer cache) -----------------------------------------------------------------
const VIEWER_TTL_MS = 30_000;
const viewers = new Map<string, { userId: string; until: number }>();
const SESSION_DATA = /(?:^|;\s*)(?:__Secure-)?better-auth\.session_data=([^;]*)/;

function viewerOf(cookie: string, now: number): string | null {
  const token = readSessionCookie(cookie);
  const data = SESSION_DATA.exec(cookie)?.[1];
  if (!token || !data) return null;
  const key = `${token}|${data}`;
  const hit = viewers.get(key);
  if (hit && hit.until > now) return hit.userId;
  const cached = readSessionCache(data, AUTH_SECRET, now);
  if (!cached || cached.session.token !== decodeURIComponent(token).split('.')[0]) return null;
  viewers.set(key, {
    userId: cached.user.id,
    until: Math.min(now + VIEWER_TTL_MS, new Date(cached.session.expiresAt).getTime()),
  });
  if (viewers.size > 20_000) viewers.delete(viewers.keys().next().value!);
  return cached.user.id;
}

// --- Admission tokens (HS256, verified synchronously) ----------------------------------------------------------
type Claims = { ev: string; vid: string; sub: string; sh: string; exp: number };
const admissions = new Map<string, Claims>();
const HS256_HEADER = /"alg"\s*:\s*"HS256"/;

function verifyJwt(token: string, nowMs: number): Claims | null {
  const first = token.indexOf('.');
  const second = token.indexOf('.', first + 1);
  if (first < 0 || second < 0 || token.indexOf('.', second + 1) >= 0) return null;
  try {
    if (!HS256_HEADER.test(Buffer.from(token.slice(0, first), 'base64url').toString('utf8'))) return null;
    const expected = createHmac('sha256', QUEUE_SECRET).update(token.slice(0, second)).digest();
    const given = Buffer.from(token.slice(second + 1), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const claims = JSON.parse(
      Buffer.from(token.slice(first + 1, second), 'base64url').toString('utf8'),
    ) as Partial<Claims>;
    if (
      typeof claims.ev !== 'string' ||
      typeof claims.vid !== 'string' ||
      typeof claims.sub !== 'string' ||
      typeof claims.sh !== 'string' ||
      typeof claims.exp !== 'number'
    )
      return null;
    if (claims.exp * 1000 <= nowMs) return null;
    return claims as Claims;
  } catch {
    return null;
  }
}

function admitted(cookie: string, eventId: string, userId: string, nowMs: number): Claims | null {
  const token = readCookie(cookie, admissionCookieName(eventId));
  const session = readSessionCookie(cookie);
  if (!token || !session) return null;
  const key = `${token}\n${session}`;
  let claims = admissions.get(key);
  if (!claims) {
    const verified = verifyJwt(token, nowMs);
    if (!verified || verified.sh !== sessionBinding(session)) return null;
    claims = verified;
    if (admissions.size >= 10_000) admissions.delete(admissions.keys().next().value!);
    admissions.set(key, claims);
  }
  if (claims.exp * 1000 <= nowMs || claims.ev !== eventId || claims.sub !== userId) return null;
  return claims;
}

// --- Sale rules (two seconds, as lib/inventory/sale-rules.ts; the seat positions for as long as the process) ---------
type Rules = {
  status: string;
  onSaleAt: Date;
  startsAt: Date;
  perOrderLimit: number;
  perAccountLimit: number;
  holdMinutes: number;
  positions: Map<number, number>;
  fetchedAt: number;
};
const rules = new Map<string, Promise<Rules | null>>();

function rulesOf(eventId: string, now: number): Promise<Rules | null> {
  const hit = rules.get(eventId);
  if (hit) {
    return hit.then((r) => {
      if (!r || now - r.fetchedAt < 2_000) return r;
      const fresh = loadRules(eventId, r.positions);
      rules.set(eventId, fresh);
      return fresh;
    });
  }
  const loading = loadRules(eventId);
  rules.set(eventId, loading);
  return loading;
}

async function loadRules(eventId: string, positions?: Map<number, number>): Promise<Rules | null> {
  const [e] = await sql<
    {
      status: string;
      on_sale_at: Date;
      starts_at: Date;
      per_order_limit: number;
      per_account_limit: number;
      hold_minutes: number;
    }[]
  >`
    select status, on_sale_at, starts_at, per_order_limit, per_account_limit, hold_minutes from events where id = ${eventId}::uuid`;
  if (!e || e.status === 'draft') return null;
  if (!positions) {
    const seats = await sql<
      { id: string; idx: number }[]
    >`select id, idx from event_seats where event_id = ${eventId}::uuid`;
    positions = new Map(seats.map((s) => [Number(s.id), s.idx]));
  }
  return {
    status: e.status,
    onSaleAt: e.on_sale_at,
    startsAt: e.starts_at,
    perOrderLimit: e.per_order_limit,
    perAccountLimit: e.per_account_limit,
    holdMinutes: e.hold_minutes,
    positions,
    fetchedAt: Date.now(),
  };
}

// --- Answers ---------------------------------------------------------------------------------------------------------
function problem(
  res: http.ServerResponse,
  code: ErrorCode,
  detail: string,
  extras: Record<string, unknown> = {},
): void {
  count(code);
  const body = JSON.stringify({
    ...extras,
    type: problemType(code),
    title: ERROR_CODES[code].title,
    status: ERROR_CODES[code].status,
    detail,
    code,
  });
  res.writeHead(ERROR_CODES[code].status, {
    'content-type': 'application/problem+json',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

function json(res: http.ServerResponse, status: number, data: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(data);
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

function readBody(req: http.IncomingMessage, maxBytes: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        resolve(null);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () =>
      resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')),
    );
    req.on('error', reject);
  });
}

const HOLDS_PATH = /^\/api\/events\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/holds$/;

async function hold(req: http.IncomingMessage, res: http.ServerResponse, eventId: string): Promise<void> {
  const nowMs = Date.now();
  const cookie = req.headers.cookie ?? '';
  const userId = viewerOf(cookie, nowMs);
  if (!userId) return problem(res, 'UNAUTHENTICATED', 'Sign in to continue.');
  const event = await rulesOf(eventId, nowMs);
  if (!event) return problem(res, 'NOT_FOUND', 'No such event.');
  const claims = admitted(cookie, eventId, userId, nowMs);
  if (!claims)
    return problem(res, 'QUEUE_TOKEN_REQUIRED', 'Join the waiting room for this event first.', {
      queueUrl: `/events/${eventId}/queue`,
    });
  if (CHECKS.has('ended')) {
    const ended = await redis.zscore(`{ev:${eventId}}:q:ended`, claims.vid);
    if (ended !== null && Number(ended) >= claims.exp * 1000)
      return problem(res, 'QUEUE_TOKEN_REQUIRED', 'Your shopping window for this event has ended.');
  }
  const type = req.headers['content-type'];
  if (type && !/^application\/([\w.+-]+\+)?json\b/i.test(type))
    return problem(res, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json.');
  const text = await readBody(req, 8 * 1024);
  if (text === null) return problem(res, 'PAYLOAD_TOO_LARGE', 'The body may be at most 8192 bytes.');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return problem(res, 'MALFORMED_REQUEST', 'The body is not valid JSON.');
  }
  const seatIds = (body as { seatIds?: unknown })?.seatIds;
  if (
    typeof body !== 'object' ||
    body === null ||
    Object.keys(body).length !== 1 ||
    !Array.isArray(seatIds) ||
    seatIds.length < 1 ||
    seatIds.length > 50 ||
    !seatIds.every((s) => Number.isSafeInteger(s) && (s as number) > 0)
  ) {
    return problem(res, 'VALIDATION_FAILED', 'seatIds must be 1 to 50 seat ids.');
  }
  const ids = seatIds as number[];
  if (new Set(ids).size !== ids.length) return problem(res, 'VALIDATION_FAILED', 'A seat is listed more than once.');
  const now = new Date(nowMs);
  if (event.status === 'cancelled' || now < event.onSaleAt || now >= event.startsAt)
    return problem(res, 'EVENT_NOT_ON_SALE', 'This event is not on sale.');
  if (ids.length > event.perOrderLimit)
    return problem(
      res,
      'SEAT_LIMIT_EXCEEDED',
      `You can hold at most ${event.perOrderLimit} seats at once for this event.`,
      { limit: event.perOrderLimit, scope: 'order' },
    );
  for (const id of ids)
    if (!event.positions.has(id)) return problem(res, 'VALIDATION_FAILED', `Seat ${id} is not part of this event.`);
  const expiresAt = new Date(nowMs + event.holdMinutes * 60_000);
  const keys = ids.map((id) => seatKey(eventId, id));

  // The contention filter: the app's own script.
  const reply = await scripts.claimSeats(keys.length, ...keys, userId, String(event.holdMinutes * 60_000));
  const picked = reply.slice(1).map((i) => ids[Number(i) - 1]!);
  if (Number(reply[0]) !== 1) {
    count('conflict:redis');
    return problem(res, 'SEATS_UNAVAILABLE', 'A seat you chose was just taken by someone else.', {
      unavailableSeatIds: picked.sort((a, b) => a - b),
    });
  }
  const release = () =>
    picked.length
      ? scripts.releaseSeats(picked.length, ...picked.map((id) => seatKey(eventId, id)), userId)
      : Promise.resolve(0);

  // PostgreSQL decides.
  const holdId = randomUUID();
  let result: HoldOutcome | undefined;
  try {
    result = await holdSeats(sql, {
      holdId,
      eventId,
      userId,
      seatIds: ids,
      now,
      expiresAt,
      perAccountLimit: event.perAccountLimit,
    });
  } catch (error) {
    await release();
    throw error;
  }
  switch (result?.outcome) {
    case 'held':
      count('held');
      return json(
        res,
        201,
        {
          id: holdId,
          eventId,
          seatIds: ids,
          expiresAt: expiresAt.toISOString(),
          serverTime: new Date().toISOString(),
          status: 'active',
          extended: false,
        },
        { location: `/api/holds/${holdId}` },
      );
    case 'taken':
      count('conflict:database');
      await release();
      return problem(res, 'SEATS_UNAVAILABLE', 'A seat you chose was just taken by someone else.', {
        unavailableSeatIds: (result.taken ?? []).map(Number).sort((a, b) => a - b),
      });
    case 'limit':
      await release();
      return problem(
        res,
        'SEAT_LIMIT_EXCEEDED',
        `You can have at most ${event.perAccountLimit} seats for this event.`,
        { limit: event.perAccountLimit, scope: 'account', current: result.owned },
      );
    case 'not_on_sale':
      await release();
      return problem(res, 'EVENT_NOT_ON_SALE', 'This event is not on sale.');
    case 'abandoned':
      await release();
      return problem(res, 'RATE_LIMITED', `You let ${result.abandoned} holds on this event go unbought lately.`, {
        policy: 'hold-abandon',
      });
    default:
      await release();
      throw new Error(`hold_seats answered ${JSON.stringify(result)}`);
  }
}

const server = http.createServer((req, res) => {
  const match = req.method === 'POST' && req.url ? HOLDS_PATH.exec(req.url) : null;
  if (match) {
    hold(req, res, match[1]!).catch((error: unknown) => {
      count('error');
      if (counts.error! <= 5) console.error('reference hold server:', error);
      if (!res.headersSent) problem(res, 'INTERNAL', 'Something went wrong.');
    });
    return;
  }
  if (req.url === '/health') return json(res, 200, { ok: true });
  if (req.url === '/stats') return json(res, 200, counts);
  problem(res, 'NOT_FOUND', 'Not found.');
});
server.keepAliveTimeout = 120_000;

async function main(): Promise<void> {
  const found = await sql<
    { args: string }[]
  >`select pg_get_function_identity_arguments(oid) as args from pg_proc where proname = 'hold_seats'`;
  if (!found.some((f) => f.args === HOLD_SEATS_SIGNATURE)) {
    throw new Error(
      `hold_seats() changed: (${found.map((f) => f.args).join(') or (')}) instead of (${HOLD_SEATS_SIGNATURE}). Adapt holdSeats() in bench/reference/hold-server.ts to lib/inventory/place-hold.ts.`,
    );
  }
  await redis.ping();
  const port = Number(env('PORT'));
  server.listen(port, '127.0.0.1', () => console.log(`reference hold server listening on ${port}`));
}

const stop = () => {
  server.close();
  void sql.end({ timeout: 1 }).finally(() => {
    redis.disconnect();
    process.exit(0);
  });
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
