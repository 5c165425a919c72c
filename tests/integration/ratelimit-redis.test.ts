import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ratelimit } from '@upstash/ratelimit';
import { Redis } from '@upstash/redis';
import IORedis from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { IoRedisRequester } from '@/lib/coordination/ioredis-requester';
import { redisHttp, redisTcp } from '../support/coordinator';
import { realRedisUrl } from '../support/services';

const require = createRequire(import.meta.url);

/**
 * @upstash/ratelimit 2.1+ starts every Lua script with `#!lua flags=allow-key-locking`, which Redis 7 rejects. We pin
 * 2.0.8; these tests fail if an upgrade brings the shebang back, before production finds out.
 */
describe('@upstash/ratelimit against the real Redis 7', () => {
  it('is pinned to 2.0.8, whose scripts carry no shebang', () => {
    const manifest = JSON.parse(readFileSync(require.resolve('@upstash/ratelimit/package.json'), 'utf8')) as {
      version: string;
    };
    expect(manifest.version.replace(/^v/, '')).toBe('2.0.8');
    expect(readFileSync(require.resolve('@upstash/ratelimit'), 'utf8')).not.toContain('#!lua');
  });

  describe.runIf(realRedisUrl)('with REDIS_URL', () => {
    const closers: (() => Promise<void> | void)[] = [];
    afterAll(async () => {
      for (const close of closers) await close();
    });

    it('this Redis rejects the flag that 2.1+ would send (why the pin exists)', async () => {
      const raw = new IORedis(realRedisUrl!, { lazyConnect: true, maxRetriesPerRequest: 0 });
      closers.push(() => raw.disconnect());
      await raw.connect();
      const version = /redis_version:(\S+)/.exec(await raw.info('server'))?.[1] ?? '';
      const shebang = raw.eval('#!lua flags=allow-key-locking\nreturn 1', 0);
      if (version.startsWith('7.')) await expect(shebang).rejects.toThrow(/Unexpected flag/);
      else await shebang.catch(() => undefined);
      expect(await raw.eval('return 1', 0)).toBe(1);
    });

    for (const factory of [redisTcp(realRedisUrl!), redisHttp(realRedisUrl!)]) {
      it(`limits through the coordinator: ${factory.name}`, async () => {
        const co = await factory.create();
        closers.push(async () => {
          await co.close();
          await factory.close?.();
        });
        const key = `{rl:shebang-test:${crypto.randomUUID()}}`;
        const results = [];
        for (let i = 0; i < 6; i++) results.push(await co.rateLimits.limit(key, 5, 60_000));
        expect(results.filter((r) => r.success)).toHaveLength(5);
        expect(results[5]).toMatchObject({ success: false, remaining: 0 });
        expect(results.some((r) => r.timedOut)).toBe(false);
      });
    }

    it('runs every limiter algorithm of the pinned version without a script error', async () => {
      const requester = new IoRedisRequester(realRedisUrl!);
      closers.push(() => requester.close());
      const redis = new Redis(requester);
      for (const limiter of [
        Ratelimit.fixedWindow(2, '10 s'),
        Ratelimit.slidingWindow(2, '10 s'),
        Ratelimit.tokenBucket(1, '10 s', 2),
      ]) {
        const rl = new Ratelimit({ redis, limiter, prefix: 'rl-test', analytics: false, ephemeralCache: false });
        const id = crypto.randomUUID();
        const outcomes = [await rl.limit(id), await rl.limit(id), await rl.limit(id)].map((r) => r.success);
        expect(outcomes).toEqual([true, true, false]);
      }
    });
  });
});
