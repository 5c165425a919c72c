import 'server-only';
import type { Redis } from '@upstash/redis';
import { DB_OWNER, SOLD_OWNER, seatKey, type ClaimResult, type Coordinator } from './port';

/**
 * KEYS: seat keys. ARGV: owner, ttl ms.
 * Returns {0, i...} with the 1-based positions of seats someone else holds (nothing changed), or {1, i...} with the
 * positions this call claimed fresh. All or nothing, atomically.
 */
const CLAIM = `
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

/** Redis through @upstash/redis: over HTTP to Upstash, or over TCP with the ioredis requester. */
export class RedisCoordinator implements Coordinator {
  private readonly claim;
  private readonly release;
  private readonly extend;
  private readonly mark;

  constructor(
    private readonly redis: Redis,
    readonly mode: 'redis' | 'upstash',
    private readonly onClose: () => Promise<void> = async () => {},
  ) {
    this.claim = redis.createScript<unknown[]>(CLAIM);
    this.release = redis.createScript<number>(RELEASE);
    this.extend = redis.createScript<number>(EXTEND);
    this.mark = redis.createScript<number>(MARK);
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async claimSeats(eventId: string, seatIds: readonly number[], owner: string, ttlMs: number): Promise<ClaimResult> {
    const reply = await this.claim.exec(
      seatIds.map((id) => seatKey(eventId, id)),
      [owner, String(Math.max(1, Math.round(ttlMs)))],
    );
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

  async close(): Promise<void> {
    await this.onClose();
  }
}
