import type { QueuePolicy } from '@/lib/queue/store/port';
import { Redis } from '@upstash/redis';
import { afterAll, beforeAll, describe } from 'vitest';
import { setCoordinatorForTests, type Coordinator } from '@/lib/coordination';
import { IoRedisRequester } from '@/lib/coordination/ioredis-requester';
import { MemoryCoordinator } from '@/lib/coordination/memory';
import { RedisCoordinator } from '@/lib/coordination/redis';
import { startRestBridge } from './rest-bridge';
import { realRedisUrl } from './services';

export type AdapterFactory = { name: string; create: () => Promise<Coordinator>; close?: () => Promise<void> };

/** Redis over TCP (the ioredis requester), as the app uses REDIS_URL. */
export const redisTcp = (url: string): AdapterFactory => ({
  name: 'redis over TCP (@upstash/redis + ioredis requester)',
  create: async () => {
    const requester = new IoRedisRequester(url);
    return new RedisCoordinator(new Redis(requester), 'redis', () => requester.close());
  },
});

/** Redis over HTTP: the stock @upstash/redis client against our Upstash-compatible REST bridge. */
export const redisHttp = (url: string): AdapterFactory => {
  let bridge: Awaited<ReturnType<typeof startRestBridge>> | undefined;
  return {
    name: 'redis over HTTP (@upstash/redis REST client + bridge)',
    create: async () => {
      bridge ??= await startRestBridge({ redisUrl: url, token: 'contract-test-token' });
      return new RedisCoordinator(
        new Redis({ url: bridge.url, token: 'contract-test-token', retry: false, enableTelemetry: false }),
        'upstash',
      );
    },
    close: async () => bridge?.close(),
  };
};

export const memory = (now?: () => number): AdapterFactory => ({
  name: 'in-process',
  create: async () => new MemoryCoordinator(now),
});

/** Every adapter this machine can run: the in-process one always, the Redis ones when REDIS_URL is set. */
export const allAdapters = (): AdapterFactory[] =>
  realRedisUrl ? [memory(), redisTcp(realRedisUrl), redisHttp(realRedisUrl)] : [memory()];

/**
 * Runs a port's contract suite once per adapter this machine has (one describe each, named after the adapter); `get`
 * builds that adapter's coordinator on first use, and it is closed after the suite. A port's suite reads its port off
 * the coordinator (`(await get()).seats`), so a guard that spans ports (a claim reading the queue's ended
 * admissions) is tested on the same store.
 */
export function forEachAdapter(suite: string, body: (get: () => Promise<Coordinator>) => void): void {
  for (const adapter of allAdapters()) {
    describe(`${suite}: ${adapter.name}`, () => {
      let coordinator: Coordinator | undefined;
      const get = async () => (coordinator ??= await adapter.create());
      afterAll(async () => {
        await coordinator?.close();
        await adapter.close?.();
      });
      body(get);
    });
  }
}

/** The coordinator the app code under test uses: real Redis when configured, else in-process. */
export function useTestCoordinator(): { coordinator: () => Coordinator } {
  let coordinator: Coordinator | undefined;
  beforeAll(async () => {
    coordinator = await (realRedisUrl ? redisTcp(realRedisUrl) : memory()).create();
    setCoordinatorForTests(coordinator);
  });
  afterAll(async () => {
    setCoordinatorForTests(undefined);
    await coordinator?.close();
  });
  return { coordinator: () => coordinator! };
}

/** Fixtures the coordination contract suites share: an event of its own per test, an open queue, visitor ids. */
export const newEvent = () => crypto.randomUUID();
export const openQueue = (p: Partial<QueuePolicy> = {}): QueuePolicy => ({
  capacity: 2,
  ratePerMinute: 6_000,
  burst: 100,
  windowMs: 60_000,
  prequeue: false,
  ...p,
});
/** Visitor ids as lib/queue makes them: a letter first, so no client ever reads one as a number. */
export const visitor = (i: number) => `qv${String(i).padStart(6, '0')}`;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
