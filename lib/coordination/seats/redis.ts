import 'server-only';
import type { Redis } from '@upstash/redis';
import { DB_OWNER, SOLD_OWNER, seatKey, type ClaimGuard, type ClaimResult, type SeatFilter } from './port';

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

const positions = (reply: unknown): number[] => (reply as unknown[]).slice(1).map((i) => Number(i) - 1);

/**
 * The seat filter in Redis through @upstash/redis (HTTP or TCP). A hold's claim, guarded or not, is one script: one
 * round trip. The guard's ended-admissions set belongs to the queue store; `endedAdmissionsKey` names it (it is in the
 * event's hash tag, so the script stays in one slot).
 */
export class RedisSeatFilter implements SeatFilter {
  private readonly claimScript;
  private readonly claimGuarded;
  private readonly releaseScript;
  private readonly extendScript;
  private readonly markScript;

  constructor(
    private readonly redis: Redis,
    private readonly endedAdmissionsKey: (eventId: string) => string,
  ) {
    this.claimScript = redis.createScript<unknown[]>(CLAIM);
    this.claimGuarded = redis.createScript<unknown[]>(CLAIM_GUARDED);
    this.releaseScript = redis.createScript<number>(RELEASE);
    this.extendScript = redis.createScript<number>(EXTEND);
    this.markScript = redis.createScript<number>(MARK);
  }

  async claim(
    eventId: string,
    seatIds: readonly number[],
    owner: string,
    ttlMs: number,
    guard?: ClaimGuard,
  ): Promise<ClaimResult> {
    const ttl = String(Math.max(1, Math.round(ttlMs)));
    const seats = seatIds.map((id) => seatKey(eventId, id));
    let reply: unknown[];
    if (guard) {
      const limits = guard.limits ?? [];
      const windowKeys = limits.flatMap(({ key, windowMs }) => {
        const current = Math.floor(guard.nowMs / windowMs);
        return [`${key}:${current}`, `${key}:${current - 1}`];
      });
      const args = [
        owner,
        ttl,
        String(limits.length),
        String(Math.round(guard.nowMs)),
        guard.admission?.visitor ?? '',
        String(guard.admission?.untilMs ?? 0),
      ];
      for (const { limit, windowMs } of limits) args.push(String(limit), String(windowMs));
      reply = await this.claimGuarded.exec([this.endedAdmissionsKey(eventId), ...windowKeys, ...seats], args);
      const code = Number(reply[0]);
      if (code === 3) return { ok: false, admissionEnded: true };
      if (code === 2) return { ok: false, limited: { limit: Number(reply[1]) - 1, resetMs: Number(reply[2]) } };
    } else {
      reply = await this.claimScript.exec(seats, [owner, ttl]);
    }
    const picked = positions(reply).map((i) => seatIds[i]!);
    return Number(reply[0]) === 1 ? { ok: true, fresh: picked } : { ok: false, taken: picked };
  }

  async release(eventId: string, seatIds: readonly number[], owner: string): Promise<void> {
    if (seatIds.length === 0) return;
    await this.releaseScript.exec(
      seatIds.map((id) => seatKey(eventId, id)),
      [owner],
    );
  }

  async extend(eventId: string, seatIds: readonly number[], owner: string, ttlMs: number): Promise<number> {
    if (seatIds.length === 0) return 0;
    return Number(
      await this.extendScript.exec(
        seatIds.map((id) => seatKey(eventId, id)),
        [owner, String(Math.max(1, Math.round(ttlMs)))],
      ),
    );
  }

  async markTaken(eventId: string, seats: readonly { seatId: number; untilMs: number | null }[]): Promise<void> {
    const now = Date.now();
    const live = seats.filter((s) => s.untilMs === null || s.untilMs > now);
    if (live.length === 0) return;
    await this.markScript.exec(
      live.map((s) => seatKey(eventId, s.seatId)),
      [...live.map((s) => String(s.untilMs === null ? 0 : Math.round(s.untilMs))), SOLD_OWNER, DB_OWNER],
    );
  }

  async clear(eventId: string, seatIds: readonly number[]): Promise<void> {
    if (seatIds.length === 0) return;
    await this.redis.del(...seatIds.map((id) => seatKey(eventId, id)));
  }
}
