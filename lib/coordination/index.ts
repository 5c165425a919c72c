import 'server-only';
import { Redis } from '@upstash/redis';
import { coordinatorMode, env, parseClusterNodes, type Env } from '@/lib/env';
import { IoRedisRequester } from './ioredis-requester';
import { MemoryCoordinator } from './memory';
import type { Coordinator } from './port';
import { RedisCoordinator } from './redis';
import { processSingleton } from '@/lib/process-singletons';

export type { Coordinator } from './port';

/**
 * Builds the adapter the configuration asks for: Upstash over HTTP, Redis or a Redis Cluster over TCP, or in-process.
 */
export function createCoordinator(e: Env = env()): Coordinator {
  const mode = coordinatorMode(e);
  if (mode === 'upstash') {
    const redis = new Redis({
      url: e.UPSTASH_REDIS_REST_URL!,
      token: e.UPSTASH_REDIS_REST_TOKEN!,
      // The circuit breaker retries by going to PostgreSQL; the client must not sit in its own backoff.
      retry: false,
      enableTelemetry: false,
    });
    return new RedisCoordinator(redis, 'upstash', undefined, { rateLimitTimeoutMs: e.COORDINATOR_TIMEOUT_MS });
  }
  if (mode === 'redis') {
    const target = e.REDIS_CLUSTER_NODES ? parseClusterNodes(e.REDIS_CLUSTER_NODES) : e.REDIS_URL!;
    const requester = new IoRedisRequester(target);
    return new RedisCoordinator(new Redis(requester), 'redis', () => requester.close(), {
      rateLimitTimeoutMs: e.COORDINATOR_TIMEOUT_MS,
      cluster: typeof target !== 'string',
    });
  }
  return new MemoryCoordinator();
}

const slot = processSingleton<{ current?: Coordinator }>('coordinator', () => ({}));

/** The process-wide coordinator (one connection, shared by all route bundles). */
export function getCoordinator(): Coordinator {
  return (slot.current ??= createCoordinator());
}

export function setCoordinatorForTests(coordinator: Coordinator | undefined): void {
  slot.current = coordinator;
}
