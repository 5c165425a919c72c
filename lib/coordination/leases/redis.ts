import 'server-only';
import type { Redis } from '@upstash/redis';
import type { Leases } from './port';

/** KEYS: lease key. ARGV: owner. */
const RELEASE_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/** Leases in Redis: SET NX PX to take one, a script that deletes only the owner's to give it back. */
export class RedisLeases implements Leases {
  private readonly releaseScript;

  constructor(private readonly redis: Redis) {
    this.releaseScript = redis.createScript<number>(RELEASE_LEASE);
  }

  async acquire(key: string, owner: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(key, owner, { nx: true, px: Math.max(1, Math.round(ttlMs)) })) === 'OK';
  }

  async release(key: string, owner: string): Promise<void> {
    await this.releaseScript.exec([key], [owner]);
  }
}
