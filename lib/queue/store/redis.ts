import 'server-only';
import type { Redis } from '@upstash/redis';
import {
  ARRIVAL_PLACE_BASE,
  RECENT_MINUTES,
  endedAdmissionsKey,
  queueKeys,
  type QueueEntry,
  type QueuePolicy,
  type QueueReport,
  type QueueStore,
} from './port';

const QUEUE_IDLE_TTL_MS = 7 * 86_400_000;

/**
 * Shared head of the queue scripts. KEYS: line, pre-queue, active, ended, meta (one event, one hash tag).
 * `admit` is the admission rule of ./port.ts, steps 1 to 6. `report` describes the visitor's place and the queue as
 * {state, a, b, waiting, prequeue, active, drawn, total, recent, since, left, joined, admitted...}.
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

/** The queue store in Redis through @upstash/redis (HTTP or TCP): one script per operation, so each is atomic. */
export class RedisQueueStore implements QueueStore {
  private readonly joinScript;
  private readonly statusScript;
  private readonly leaveScript;
  private readonly closePreScript;
  private readonly applyDrawScript;

  constructor(private readonly redis: Redis) {
    this.joinScript = redis.createScript<unknown[]>(QUEUE_JOIN);
    this.statusScript = redis.createScript<unknown[]>(QUEUE_STATUS);
    this.leaveScript = redis.createScript<unknown[]>(QUEUE_LEAVE);
    this.closePreScript = redis.createScript<string[]>(QUEUE_CLOSE_PRE);
    this.applyDrawScript = redis.createScript<number>(QUEUE_APPLY_DRAW);
  }

  async join(eventId: string, visitor: string, nowMs: number, policy: QueuePolicy): Promise<QueueReport> {
    const { left: _left, ...report } = toReport(
      await this.joinScript.exec([...queueKeys(eventId)], policyArgs(visitor, nowMs, policy)),
    );
    return report;
  }

  async status(eventId: string, visitor: string | null, nowMs: number, policy: QueuePolicy): Promise<QueueReport> {
    const { left: _left, ...report } = toReport(
      await this.statusScript.exec([...queueKeys(eventId)], policyArgs(visitor, nowMs, policy)),
    );
    return report;
  }

  async leave(
    eventId: string,
    visitor: string,
    nowMs: number,
    policy: QueuePolicy,
  ): Promise<QueueReport & { left: QueueEntry['state'] }> {
    return toReport(await this.leaveScript.exec([...queueKeys(eventId)], policyArgs(visitor, nowMs, policy)));
  }

  async admissionEnded(eventId: string, visitor: string, untilMs: number): Promise<boolean> {
    const ended = await this.redis.zscore(endedAdmissionsKey(eventId), visitor);
    return ended !== null && Number(ended) >= untilMs;
  }

  async closePrequeue(eventId: string): Promise<string[]> {
    return ((await this.closePreScript.exec([...queueKeys(eventId)], [])) ?? []).map(String);
  }

  async applyDraw(eventId: string, order: readonly string[], offset: number, last: boolean): Promise<number> {
    return Number(
      await this.applyDrawScript.exec([...queueKeys(eventId)], [String(offset), last ? '1' : '0', ...order]),
    );
  }
}
