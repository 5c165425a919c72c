import 'server-only';
import { Ratelimit } from '@upstash/ratelimit';
import type { Redis } from '@upstash/redis';
import { TIMED_OUT, withinDeadline } from './deadline';
import {
  ARRIVAL_PLACE_BASE,
  DB_OWNER,
  RECENT_MINUTES,
  SOLD_OWNER,
  queueKeys,
  seatKey,
  type ClaimGuard,
  type ClaimResult,
  type Coordinator,
  type QueueEntry,
  type QueuePolicy,
  type QueueReport,
  type RateLimitResult,
} from './port';

/**
 * KEYS: seat keys. ARGV: owner, ttl ms.
 * Returns {0, i...} with the 1-based positions of seats someone else holds (nothing changed), or {1, i...} with the
 * positions this call claimed fresh. All or nothing, atomically.
 */
export const CLAIM = `
local owner = ARGV[1]
local taken = {0}
for i, key in ipairs(KEYS) do
  local current = redis.call('GET', key)
  if current and current ~= owner then taken[#taken + 1] = i end
end
if #taken > 1 then return taken end
local fresh = {1}
for i, key in ipairs(KEYS) do
  local previous = redis.call('SET', key, owner, 'PX', ARGV[2], 'GET')
  if not previous then fresh[#fresh + 1] = i end
end
return fresh
`;

/**
 * A claim with its guard, in one step: KEYS: the event's ended-admissions set, then two keys (this window's and the
 * previous one's count) per budget, then the seat keys. ARGV: owner, ttl ms, number of budgets, now ms, visitor ('' for
 * none), admission end ms, then limit and window ms per budget.
 * Returns {3} when the admission was ended, {2, budget index (1-based), reset ms} when a budget is spent (the sliding
 * window of @upstash/ratelimit: the previous window's count weighted by its share still inside the window), else
 * CLAIM's answer. Budgets are counted only when every one has room and the claim is not refused for an ended
 * admission; a claim refused for taken seats still counts (the request was made).
 */
const CLAIM_GUARDED = `
local owner, ttl, budgets, now = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local visitor, untilMs = ARGV[5], tonumber(ARGV[6])
if visitor ~= '' then
  local ended = redis.call('ZSCORE', KEYS[1], visitor)
  if ended and tonumber(ended) >= untilMs then return {3} end
end
for b = 1, budgets do
  local limit, window = tonumber(ARGV[5 + 2 * b]), tonumber(ARGV[6 + 2 * b])
  local current = tonumber(redis.call('GET', KEYS[2 * b]) or '0')
  local previous = tonumber(redis.call('GET', KEYS[2 * b + 1]) or '0')
  previous = math.floor((1 - (now % window) / window) * previous)
  if previous + current >= limit then return {2, b, (math.floor(now / window) + 1) * window} end
end
for b = 1, budgets do
  local window = tonumber(ARGV[6 + 2 * b])
  if redis.call('INCR', KEYS[2 * b]) == 1 then redis.call('PEXPIRE', KEYS[2 * b], window * 2 + 1000) end
end
local first = 2 * budgets + 2
local taken = {0}
for i = first, #KEYS do
  local current = redis.call('GET', KEYS[i])
  if current and current ~= owner then taken[#taken + 1] = i - first + 1 end
end
if #taken > 1 then return taken end
local fresh = {1}
for i = first, #KEYS do
  local previous = redis.call('SET', KEYS[i], owner, 'PX', ttl, 'GET')
  if not previous then fresh[#fresh + 1] = i - first + 1 end
end
return fresh
`;

/** KEYS: seat keys. ARGV: owner. Deletes the keys the owner holds. */
const RELEASE = `
local n = 0
for _, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then redis.call('DEL', key); n = n + 1 end
end
return n
`;

/** KEYS: seat keys. ARGV: owner, ttl ms. */
const EXTEND = `
local n = 0
for _, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then redis.call('PEXPIRE', key, ARGV[2]); n = n + 1 end
end
return n
`;

/** KEYS: seat keys. ARGV: per key, an absolute expiry in ms or 0 for "sold"; then the two marker values. */
const MARK = `
for i, key in ipairs(KEYS) do
  local at = tonumber(ARGV[i])
  if at == 0 then redis.call('SET', key, ARGV[#KEYS + 1]) else redis.call('SET', key, ARGV[#KEYS + 2], 'PXAT', at) end
end
return #KEYS
`;

const QUEUE_IDLE_TTL_MS = 7 * 86_400_000;

/**
 * Shared head of the queue scripts. KEYS: line, pre-queue, active, ended, meta (one event, one hash tag).
 * `admit` expires ended windows, then moves visitors from the front of the line to active while there is room and
 * the token bucket allows; it pauses while the pre-queue still holds undrawn entrants. `report` describes the
 * visitor's place and the queue as {state, a, b, waiting, prequeue, active, drawn, total, recent, since, left, joined,
 * admitted...}.
 */
const QUEUE_LIB = `
local wait, pre, act, ended, meta = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local BASE = ${ARRIVAL_PLACE_BASE}
local RECENT = ${RECENT_MINUTES}

-- A queue nobody touched for a week is forgotten as a whole.
local function touch()
  for i = 1, 5 do redis.call('PEXPIRE', KEYS[i], ${QUEUE_IDLE_TTL_MS}) end
end

local function admit(now, cap, rate, burst, win, prequeue)
  redis.call('ZREMRANGEBYSCORE', act, '-inf', now)
  redis.call('ZREMRANGEBYSCORE', ended, '-inf', now)
  if not prequeue then redis.call('HSETNX', meta, 'open', '1') end
  if redis.call('EXISTS', pre) == 1 then return {} end
  local bucket = redis.call('HMGET', meta, 'tokens', 'at')
  local tokens = burst
  if bucket[1] then tokens = math.min(burst, tonumber(bucket[1]) + math.max(0, now - tonumber(bucket[2])) * rate / 60000) end
  local n = math.min(cap - redis.call('ZCARD', act), math.floor(tokens), redis.call('ZCARD', wait))
  local admitted = {}
  -- The bucket is stored only when spent: refilling is linear and capped, so skipping the write changes nothing.
  if n > 0 or not bucket[1] then redis.call('HSET', meta, 'tokens', tostring(tokens - math.max(n, 0)), 'at', now) end
  if n > 0 then
    local popped = redis.call('ZPOPMIN', wait, n)
    local untilMs = math.ceil((now + win) / 1000) * 1000
    for i = 1, #popped, 2 do
      admitted[#admitted + 1] = popped[i]
      -- A new admission must outlast an earlier one that ended early, or its token would count as ended too.
      local endedAt = tonumber(redis.call('ZSCORE', ended, popped[i]) or 0)
      redis.call('ZADD', act, math.max(untilMs, endedAt + 1000), popped[i])
    end
    local minute = math.floor(now / 60000)
    redis.call('HINCRBY', meta, 'total', n)
    redis.call('HSETNX', meta, 'first', now)
    redis.call('HINCRBY', meta, 'm' .. minute, n)
    for k = minute - RECENT - 5, minute - RECENT do redis.call('HDEL', meta, 'm' .. k) end
    touch()
  end
  return admitted
end

local function report(v, now, admitted, left, joined)
  local code, a, b = 0, 0, -1
  if v ~= '' then
    local untilMs = redis.call('ZSCORE', act, v)
    local place = redis.call('ZSCORE', wait, v)
    if untilMs then
      code, a = 3, tonumber(untilMs)
    elseif place then
      code, a = 2, redis.call('ZRANK', wait, v) + 1
      if tonumber(place) >= BASE then b = tonumber(place) - BASE end
    else
      local ticket = redis.call('ZSCORE', pre, v)
      if ticket then code, a = 1, tonumber(ticket) end
    end
  end
  local minute = math.floor(now / 60000)
  local fields = {'total', 'first', 'open'}
  for k = minute - RECENT + 1, minute do fields[#fields + 1] = 'm' .. k end
  local m = redis.call('HMGET', meta, unpack(fields))
  local count = 0
  for i = 4, #m do count = count + (tonumber(m[i]) or 0) end
  local since = now
  if m[2] then since = math.max(tonumber(m[2]), (minute - RECENT + 1) * 60000) end
  local preCount = redis.call('ZCARD', pre)
  local drawn = 0
  if m[3] == '1' and preCount == 0 then drawn = 1 end
  local out = {code, a, b, redis.call('ZCARD', wait), preCount, redis.call('ZCARD', act), drawn, tonumber(m[1] or 0), count, since, left, joined}
  for _, x in ipairs(admitted) do out[#out + 1] = x end
  return out
end

local v, now = ARGV[1], tonumber(ARGV[2])
local cap, rate, burst, win, prequeue = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), ARGV[7] == '1'
`;

/** ARGV: visitor, now, capacity, rate, burst, window, prequeue. Joins (idempotently), admits, reports. */
const QUEUE_JOIN = `${QUEUE_LIB}
redis.call('ZREMRANGEBYSCORE', act, '-inf', now)
if not prequeue then redis.call('HSETNX', meta, 'open', '1') end
local joined = 0
if not redis.call('ZSCORE', act, v) and not redis.call('ZSCORE', wait, v) and not redis.call('ZSCORE', pre, v) then
  local ticket = redis.call('HINCRBY', meta, 'seq', 1)
  joined = ticket
  if redis.call('HGET', meta, 'open') == '1' then redis.call('ZADD', wait, BASE + ticket, v) else redis.call('ZADD', pre, ticket, v) end
  touch()
end
return report(v, now, admit(now, cap, rate, burst, win, prequeue), 0, joined)
`;

/** ARGV as QUEUE_JOIN, visitor may be ''. Admits and reports. */
const QUEUE_STATUS = `${QUEUE_LIB}
return report(v, now, admit(now, cap, rate, burst, win, prequeue), 0, 0)
`;

/** ARGV as QUEUE_JOIN. Leaves the line, or ends the admission and remembers it as ended; then admits. */
const QUEUE_LEAVE = `${QUEUE_LIB}
local left = 0
local untilMs = redis.call('ZSCORE', act, v)
if untilMs and tonumber(untilMs) > now then
  redis.call('ZREM', act, v)
  redis.call('ZADD', ended, 'GT', untilMs, v)
  left = 3
elseif redis.call('ZREM', wait, v) == 1 then
  left = 2
elseif redis.call('ZREM', pre, v) == 1 then
  left = 1
end
touch()
return report(v, now, admit(now, cap, rate, burst, win, prequeue), left, 0)
`;

/** KEYS: line, pre-queue, active, ended, meta. Closes the pre-queue; returns its entrants in arrival order. */
const QUEUE_CLOSE_PRE = `
redis.call('HSET', KEYS[5], 'open', '1')
return redis.call('ZRANGE', KEYS[2], 0, -1)
`;

/** KEYS as above. ARGV: offset, last (0/1), entrants in drawn order. */
const QUEUE_APPLY_DRAW = `
local wait, pre = KEYS[1], KEYS[2]
local offset = tonumber(ARGV[1])
local moved = 0
for i = 3, #ARGV do
  if redis.call('ZREM', pre, ARGV[i]) == 1 then
    redis.call('ZADD', wait, offset + i - 3, ARGV[i])
    moved = moved + 1
  end
end
if ARGV[2] == '1' then
  local rest = redis.call('ZRANGE', pre, 0, -1, 'WITHSCORES')
  for i = 1, #rest, 2 do redis.call('ZADD', wait, ${ARRIVAL_PLACE_BASE} + tonumber(rest[i + 1]), rest[i]) end
  redis.call('DEL', pre)
end
for i = 1, 5 do redis.call('PEXPIRE', KEYS[i], ${QUEUE_IDLE_TTL_MS}) end
return moved
`;

/** KEYS: lease key. ARGV: owner. */
const RELEASE_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

const STATES = ['none', 'prequeue', 'waiting', 'admitted'] as const;

function toReport(reply: unknown[]): QueueReport & { left: QueueEntry['state'] } {
  const n = (i: number) => Number(reply[i]);
  const state = STATES[n(0)] ?? 'none';
  const entry: QueueEntry =
    state === 'admitted'
      ? { state, untilMs: n(1) }
      : state === 'waiting'
        ? { state, position: n(1), ticket: n(2) < 0 ? null : n(2) }
        : state === 'prequeue'
          ? { state, ticket: n(1) }
          : { state: 'none' };
  return {
    entry,
    waiting: n(3),
    prequeue: n(4),
    active: n(5),
    drawn: n(6) === 1,
    admittedTotal: n(7),
    recent: { count: n(8), sinceMs: n(9) },
    left: STATES[n(10)] ?? 'none',
    joined: n(11) > 0 ? n(11) : null,
    admitted: reply.slice(12).map(String),
  };
}

const policyArgs = (visitor: string | null, nowMs: number, p: QueuePolicy) => [
  visitor ?? '',
  String(Math.round(nowMs)),
  String(p.capacity),
  String(p.ratePerMinute),
  String(p.burst),
  String(Math.round(p.windowMs)),
  p.prequeue ? '1' : '0',
];

const positions = (reply: unknown): number[] => (reply as unknown[]).slice(1).map((i) => Number(i) - 1);

/** Redis through @upstash/redis: over HTTP to Upstash, or over TCP with the ioredis requester. */
export class RedisCoordinator implements Coordinator {
  private readonly claim;
  private readonly claimGuarded;
  private readonly release;
  private readonly extend;
  private readonly mark;
  private readonly join;
  private readonly status;
  private readonly leave;
  private readonly closePre;
  private readonly applyDraw;
  private readonly releaseLeaseScript;
  private readonly limiters = new Map<string, Ratelimit>();

  constructor(
    private readonly redis: Redis,
    readonly mode: 'redis' | 'upstash',
    private readonly onClose: () => Promise<void> = async () => {},
    private readonly options: { rateLimitTimeoutMs?: number } = {},
  ) {
    this.claim = redis.createScript<unknown[]>(CLAIM);
    this.claimGuarded = redis.createScript<unknown[]>(CLAIM_GUARDED);
    this.release = redis.createScript<number>(RELEASE);
    this.extend = redis.createScript<number>(EXTEND);
    this.mark = redis.createScript<number>(MARK);
    this.join = redis.createScript<unknown[]>(QUEUE_JOIN);
    this.status = redis.createScript<unknown[]>(QUEUE_STATUS);
    this.leave = redis.createScript<unknown[]>(QUEUE_LEAVE);
    this.closePre = redis.createScript<string[]>(QUEUE_CLOSE_PRE);
    this.applyDraw = redis.createScript<number>(QUEUE_APPLY_DRAW);
    this.releaseLeaseScript = redis.createScript<number>(RELEASE_LEASE);
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async claimSeats(eventId: string, seatIds: readonly number[], owner: string, ttlMs: number, guard?: ClaimGuard): Promise<ClaimResult> {
    const ttl = String(Math.max(1, Math.round(ttlMs)));
    const seats = seatIds.map((id) => seatKey(eventId, id));
    let reply: unknown[];
    if (guard) {
      const limits = guard.limits ?? [];
      const windowKeys = limits.flatMap(({ key, windowMs }) => {
        const current = Math.floor(guard.nowMs / windowMs);
        return [`${key}:${current}`, `${key}:${current - 1}`];
      });
      const args = [owner, ttl, String(limits.length), String(Math.round(guard.nowMs)), guard.admission?.visitor ?? '', String(guard.admission?.untilMs ?? 0)];
      for (const { limit, windowMs } of limits) args.push(String(limit), String(windowMs));
      reply = await this.claimGuarded.exec([queueKeys(eventId)[3], ...windowKeys, ...seats], args);
      const code = Number(reply[0]);
      if (code === 3) return { ok: false, admissionEnded: true };
      if (code === 2) return { ok: false, limited: { limit: Number(reply[1]) - 1, resetMs: Number(reply[2]) } };
    } else {
      reply = await this.claim.exec(seats, [owner, ttl]);
    }
    const picked = positions(reply).map((i) => seatIds[i]!);
    return Number(reply[0]) === 1 ? { ok: true, fresh: picked } : { ok: false, taken: picked };
  }

  async releaseSeats(eventId: string, seatIds: readonly number[], owner: string): Promise<void> {
    if (seatIds.length === 0) return;
    await this.release.exec(
      seatIds.map((id) => seatKey(eventId, id)),
      [owner],
    );
  }

  async extendSeats(eventId: string, seatIds: readonly number[], owner: string, ttlMs: number): Promise<number> {
    if (seatIds.length === 0) return 0;
    return Number(
      await this.extend.exec(
        seatIds.map((id) => seatKey(eventId, id)),
        [owner, String(Math.max(1, Math.round(ttlMs)))],
      ),
    );
  }

  async markTaken(eventId: string, seats: readonly { seatId: number; untilMs: number | null }[]): Promise<void> {
    const now = Date.now();
    const live = seats.filter((s) => s.untilMs === null || s.untilMs > now);
    if (live.length === 0) return;
    await this.mark.exec(
      live.map((s) => seatKey(eventId, s.seatId)),
      [...live.map((s) => String(s.untilMs === null ? 0 : Math.round(s.untilMs))), SOLD_OWNER, DB_OWNER],
    );
  }

  async clearSeats(eventId: string, seatIds: readonly number[]): Promise<void> {
    if (seatIds.length === 0) return;
    await this.redis.del(...seatIds.map((id) => seatKey(eventId, id)));
  }

  async queueJoin(eventId: string, visitor: string, nowMs: number, policy: QueuePolicy): Promise<QueueReport> {
    const { left: _left, ...report } = toReport(await this.join.exec([...queueKeys(eventId)], policyArgs(visitor, nowMs, policy)));
    return report;
  }

  async queueStatus(eventId: string, visitor: string | null, nowMs: number, policy: QueuePolicy): Promise<QueueReport> {
    const { left: _left, ...report } = toReport(await this.status.exec([...queueKeys(eventId)], policyArgs(visitor, nowMs, policy)));
    return report;
  }

  async queueLeave(eventId: string, visitor: string, nowMs: number, policy: QueuePolicy): Promise<QueueReport & { left: QueueEntry['state'] }> {
    return toReport(await this.leave.exec([...queueKeys(eventId)], policyArgs(visitor, nowMs, policy)));
  }

  async queueAdmissionEnded(eventId: string, visitor: string, untilMs: number): Promise<boolean> {
    const ended = await this.redis.zscore(queueKeys(eventId)[3], visitor);
    return ended !== null && Number(ended) >= untilMs;
  }

  async queueClosePrequeue(eventId: string): Promise<string[]> {
    return ((await this.closePre.exec([...queueKeys(eventId)], [])) ?? []).map(String);
  }

  async queueApplyDraw(eventId: string, order: readonly string[], offset: number, last: boolean): Promise<number> {
    return Number(await this.applyDraw.exec([...queueKeys(eventId)], [String(offset), last ? '1' : '0', ...order]));
  }

  async acquireLease(key: string, owner: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(key, owner, { nx: true, px: Math.max(1, Math.round(ttlMs)) })) === 'OK';
  }

  async releaseLease(key: string, owner: string): Promise<void> {
    await this.releaseLeaseScript.exec([key], [owner]);
  }

  /**
   * @upstash/ratelimit's sliding window (pinned to 2.0.8: 2.1+ starts its scripts with a `#!lua flags=` line that
   * Redis 7 rejects). One limiter per (limit, window); the key is the identifier, prefixed `rl:`.
   */
  async rateLimit(key: string, limit: number, windowMs: number): Promise<RateLimitResult> {
    const id = `${limit}/${windowMs}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = new Ratelimit({
        redis: this.redis,
        limiter: Ratelimit.slidingWindow(limit, `${windowMs} ms`),
        prefix: 'rl',
        analytics: false,
        // Its own timer would measure this process's event loop and let the request through; ours measures Redis
        // (lib/coordination/deadline.ts), and a timeout is counted by the per-instance limiter instead.
        timeout: 0,
        // Blocked identifiers are remembered in-process until their window resets: fewer round trips under attack.
        ephemeralCache: new Map(),
      });
      this.limiters.set(id, limiter);
    }
    const result = await withinDeadline(limiter.limit(key), this.options.rateLimitTimeoutMs ?? 1_000);
    if (result === TIMED_OUT) return { success: true, limit, remaining: limit, resetMs: Date.now() + windowMs, timedOut: true };
    return { success: result.success, limit: result.limit, remaining: result.remaining, resetMs: result.reset };
  }

  async close(): Promise<void> {
    await this.onClose();
  }
}
