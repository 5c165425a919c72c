import { Redis } from '@upstash/redis';
import { afterAll, describe, expect, it } from 'vitest';
import { CircuitBreaker } from '@/lib/coordination/breaker';
import { IoRedisRequester } from '@/lib/coordination/ioredis-requester';
import { RedisCoordinator } from '@/lib/coordination/redis';
import { auditInventory, placeHold } from '@/lib/inventory';
import { RATE_LIMITS } from '@/lib/ratelimit/policies';
import { useTestDatabase } from '../support/database';
import { createOnSaleEvent, createUsers } from '../support/fixtures';
import { seatIdsOf, statusCounts, tally, testDeps } from '../support/inventory';
import { metricValue } from '../support/metrics';
import { freePort, hasRedisServer, OwnedRedis } from '../support/redis-process';

/** Redis dies in the middle of a stampede and comes back: nothing is oversold, holds go on through PostgreSQL. */
describe.skipIf(!hasRedisServer())('holds when Redis fails', () => {
  const { handle } = useTestDatabase({ maxConnections: 20 });
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const close of closers) await close();
  });
  /** A redis-server of the test's own (to kill and restart) and a coordinator on it, both closed after the tests. */
  const ownRedis = async () => {
    const redis = new OwnedRedis(await freePort());
    await redis.start();
    closers.push(() => redis.kill());
    const requester = new IoRedisRequester(redis.url, { commandTimeoutMs: 200 });
    const coordinator = new RedisCoordinator(new Redis(requester), 'redis', () => requester.close());
    closers.push(() => coordinator.close());
    return { redis, coordinator };
  };

  it('sells nothing twice while Redis is killed and restarted mid-stampede, then closes the breaker', async () => {
    const { redis, coordinator } = await ownRedis();
    const states: string[] = [];
    const breaker = new CircuitBreaker({
      timeoutMs: 50,
      failureThreshold: 3,
      resetAfterMs: 200,
      onStateChange: (s) => states.push(s),
    });
    const deps = testDeps(handle(), coordinator, () => new Date(), breaker);

    const { event } = await createOnSaleEvent(handle().db, { rows: 3, seatsPerRow: 10 });
    const seats = await seatIdsOf(handle(), event.id);
    const buyers = await createUsers(handle().db, 900);
    const attempt = (i: number) =>
      placeHold(deps, { eventId: event.id, userId: buyers[i]!.id, seatIds: [seats[i % 30]!, seats[(i + 7) % 30]!] });
    const fallbacksBefore = await metricValue('admitone_hold_database_only_total');

    // Wave 1 with Redis up; Redis is killed while wave 2 is in flight; wave 3 runs on PostgreSQL alone.
    const wave1 = tally(Array.from({ length: 300 }, (_, i) => attempt(i)));
    await new Promise((r) => setTimeout(r, 5));
    const wave2 = tally(Array.from({ length: 300 }, (_, i) => attempt(300 + i)));
    await redis.kill();
    const wave3 = await tally(Array.from({ length: 300 }, (_, i) => attempt(600 + i)));
    const results = [await wave1, await wave2, wave3];
    for (const r of results) expect(r.unexpected).toEqual([]);

    const granted = results.flatMap((r) => r.granted);
    const seatsGranted = granted.flatMap((h) => h.seatIds);
    expect(new Set(seatsGranted).size).toBe(seatsGranted.length); // zero oversell
    expect((await statusCounts(handle(), event.id)).held).toBe(seatsGranted.length);
    expect((await auditInventory(handle().db, new Date(), [event.id])).violations).toEqual([]);
    expect(states).toContain('open');
    const fallbacksAfter = await metricValue('admitone_hold_database_only_total');
    expect(fallbacksAfter).toBeGreaterThan(fallbacksBefore);

    // Holds keep working through PostgreSQL while Redis is down.
    const second = await createOnSaleEvent(handle().db, { rows: 1, seatsPerRow: 5 });
    const freeSeats = await seatIdsOf(handle(), second.event.id);
    const down = await placeHold(deps, {
      eventId: second.event.id,
      userId: buyers[0]!.id,
      seatIds: freeSeats.slice(0, 2),
    });
    expect(down.seatIds).toHaveLength(2);

    // Redis comes back: after the reset delay the breaker probes, succeeds and closes.
    await redis.start();
    let closed = false;
    for (let i = 0; i < 50 && !closed; i++) {
      await new Promise((r) => setTimeout(r, 100));
      await placeHold(deps, {
        eventId: second.event.id,
        userId: buyers[1 + i]!.id,
        seatIds: [freeSeats[2 + (i % 3)]!],
      }).catch(() => {});
      closed = breaker.current === 'closed';
    }
    expect(closed).toBe(true);
    expect(states.at(-1)).toBe('closed');
    expect((await auditInventory(handle().db, new Date())).violations).toEqual([]);
  });

  it('keeps counting the hold budgets in the instance while the coordinator cannot (the guard goes with the claim)', async () => {
    const { redis, coordinator } = await ownRedis();
    const deps = testDeps(
      handle(),
      coordinator,
      () => new Date(),
      new CircuitBreaker({ timeoutMs: 50, failureThreshold: 1, resetAfterMs: 60_000 }),
    );
    const { event } = await createOnSaleEvent(handle().db, { rows: 1, seatsPerRow: 4 });
    const seats = await seatIdsOf(handle(), event.id);
    const [buyer] = await createUsers(handle().db, 1);
    await redis.kill();
    const guard = { ip: `198.51.100.${1 + Math.floor(Math.random() * 200)}` };
    const { limit: budget, windowMs } = RATE_LIMITS.holds.perAccount;
    // The budget is a sliding window over fixed ones: a loop that crosses into the next window sees most of this
    // window's count discounted and is not refused. Start early in a window (it failed so on a loaded CI machine).
    const left = windowMs - (Date.now() % windowMs);
    if (left < 25_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
    const codes: string[] = [];
    for (let i = 0; i <= budget; i++) {
      // The same seat again and again: granted once, then answered by PostgreSQL (already this buyer's) or refused.
      codes.push(
        await placeHold(deps, { eventId: event.id, userId: buyer!.id, seatIds: [seats[0]!] }, { guard }).then(
          () => 'granted',
          (e: { code?: string }) => e.code ?? 'error',
        ),
      );
    }
    expect(codes.slice(0, budget)).not.toContain('RATE_LIMITED');
    expect(codes.slice(0, budget)).not.toContain('error');
    expect(codes[budget]).toBe('RATE_LIMITED');
  });
});
