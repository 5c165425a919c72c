import { Ratelimit } from '@upstash/ratelimit';
import { Redis } from '@upstash/redis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCoordinator, type Coordinator } from '@/lib/coordination';
import { parseEnv } from '@/lib/env';
import { IoRedisRequester } from '@/lib/coordination/ioredis-requester';
import type { RedisCoordinator } from '@/lib/coordination/redis';
import { hasRedisServer, OwnedRedisCluster } from '../support/redis-cluster';

/**
 * The coordination contract suites, run once more against a real three-master Redis Cluster this file starts:
 * `forEachAdapter` is replaced, for the suites imported below, by one that gives them a coordinator on the cluster
 * (the same RedisCoordinator the app builds from REDIS_CLUSTER_NODES). A script whose keys span two slots fails
 * there with CROSSSLOT, so a passing suite shows every key a port touches in one call shares a slot.
 */
const cluster = vi.hoisted(() => {
  const state = { started: undefined as Promise<OwnedRedisCluster> | undefined };
  /** A coordinator on the cluster, built as createCoordinator builds it (modules loaded here: this runs hoisted). */
  const coordinator = async (): Promise<RedisCoordinator> => {
    const [{ IoRedisRequester }, { RedisCoordinator }, { Redis }] = await Promise.all([
      import('@/lib/coordination/ioredis-requester'),
      import('@/lib/coordination/redis'),
      import('@upstash/redis'),
    ]);
    const requester = new IoRedisRequester((await state.started!).seeds);
    return new RedisCoordinator(new Redis(requester), 'redis', () => requester.close(), { cluster: true });
  };
  return { state, coordinator };
});

vi.mock('../support/coordinator', async (importOriginal) => {
  const original = await importOriginal<typeof import('../support/coordinator')>();
  const { describe: group, afterAll: after } = await import('vitest');
  const { hasRedisServer: canRun } = await import('../support/redis-process');
  return {
    ...original,
    forEachAdapter(suite: string, body: (get: () => Promise<Coordinator>) => void) {
      group.skipIf(!canRun())(`${suite}: redis cluster (3 masters)`, () => {
        let coordinator: Coordinator | undefined;
        const get = async () => (coordinator ??= await cluster.coordinator());
        after(async () => coordinator?.close());
        body(get);
      });
    },
  };
});

// The suites register their tests on import, through the forEachAdapter above.
import './coordination.contract.test';
import './coordination-seats.contract.test';
import './coordination-queue.contract.test';
import './coordination-leases.contract.test';
import './coordination-rate-limits.contract.test';

beforeAll(async () => {
  if (hasRedisServer()) cluster.state.started = OwnedRedisCluster.start({ masters: 3 });
  await cluster.state.started;
}, 60_000);
afterAll(async () => {
  await (await cluster.state.started?.catch(() => undefined))?.stop();
});

describe.skipIf(!hasRedisServer())('redis cluster: keys and slots', () => {
  let coordinator: RedisCoordinator | undefined;
  const get = async () => (coordinator ??= await cluster.coordinator());
  afterAll(async () => coordinator?.close());

  it('rate-limits keys that carry no hash tag of their own (the two windows share the tag the store adds)', async () => {
    const co = await get();
    // Keys like lib/ratelimit's (`policy:acct:...`), no braces: without the added tag the sliding window's two keys
    // would hash to different slots and every call would fail with CROSSSLOT.
    for (const key of [
      `auth:ip:203.0.113.${Math.floor(Math.random() * 250)}`,
      `queue-status:acct:${crypto.randomUUID()}`,
    ]) {
      const results = [];
      for (let i = 0; i < 3; i++) results.push(await co.rateLimits.limit(key, 2, 60_000));
      expect(results.map((r) => r.success)).toEqual([true, true, false]);
    }
  });

  it('is what the app builds from REDIS_CLUSTER_NODES', async () => {
    const built = createCoordinator(parseEnv({ REDIS_CLUSTER_NODES: (await cluster.state.started!).nodesSetting }));
    try {
      expect(built.mode).toBe('redis');
      await built.ping();
      const ev = crypto.randomUUID();
      expect(await built.seats.claim(ev, [1, 2], 'alice', 10_000)).toEqual({ ok: true, fresh: [1, 2] });
      expect((await built.rateLimits.limit(`{rl:probe:${ev}}`, 1, 60_000)).success).toBe(true);
    } finally {
      await built.close();
    }
  });

  it('cannot use @upstash/ratelimit 2.0.8 here: its script always names a third key, "", in slot 0 (decision 034)', async () => {
    const requester = new IoRedisRequester((await cluster.state.started!).seeds);
    try {
      const limiter = new Ratelimit({
        redis: new Redis(requester),
        limiter: Ratelimit.slidingWindow(5, '60 s'),
        prefix: 'rl',
        analytics: false,
        timeout: 0,
      });
      // A tag whose slot is not 0 (every tag but a few is): the library's `""` key then lands in another slot.
      await expect(limiter.limit('{somebody}')).rejects.toThrow(/same slot|CROSSSLOT/);
    } finally {
      await requester.close();
    }
  });

  it('spreads events over the masters (each event in one slot, not every event on one node)', async () => {
    const c = await cluster.state.started!;
    const owners = new Set<number>();
    for (let i = 0; i < 30; i++) owners.add(await c.masterOf(`{ev:${crypto.randomUUID()}}:seat:1`));
    expect(owners.size).toBe(3);
  });
});
