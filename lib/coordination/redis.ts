import 'server-only';
import type { Redis } from '@upstash/redis';
import { RedisQueueStore } from '@/lib/queue/store/redis';
import { endedAdmissionsKey } from '@/lib/queue/store/port';
import { RedisLeases } from './leases/redis';
import type { Coordinator } from './port';
import { RedisRateLimitStore } from './rate-limits/redis';
import { RedisSeatFilter } from './seats/redis';

/**
 * The four ports on one Redis client through @upstash/redis: over HTTP to Upstash, or over TCP (ioredis requester) to
 * one Redis or a Redis Cluster.
 */
export class RedisCoordinator implements Coordinator {
  readonly seats: RedisSeatFilter;
  readonly queue: RedisQueueStore;
  readonly leases: RedisLeases;
  readonly rateLimits: RedisRateLimitStore;

  constructor(
    private readonly redis: Redis,
    readonly mode: 'redis' | 'upstash',
    private readonly onClose: () => Promise<void> = async () => {},
    /** `cluster`: the client is a Redis Cluster's (the rate-limit store then runs its own script, decision 034). */
    options: { rateLimitTimeoutMs?: number; cluster?: boolean } = {},
  ) {
    this.seats = new RedisSeatFilter(redis, endedAdmissionsKey);
    this.queue = new RedisQueueStore(redis);
    this.leases = new RedisLeases(redis);
    this.rateLimits = new RedisRateLimitStore(redis, options.rateLimitTimeoutMs, options.cluster);
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    await this.onClose();
  }
}
