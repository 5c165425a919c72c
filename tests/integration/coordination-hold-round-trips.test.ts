import { Redis, type Requester, type UpstashRequest } from '@upstash/redis';
import { afterAll, describe, expect, it } from 'vitest';
import { IoRedisRequester } from '@/lib/coordination/ioredis-requester';
import { RedisCoordinator } from '@/lib/coordination/redis';
import { placeHold } from '@/lib/inventory';
import { useTestDatabase } from '../support/database';
import { createOnSaleEvent, createUsers } from '../support/fixtures';
import { seatIdsOf, testDeps } from '../support/inventory';
import { realRedisUrl } from '../support/services';

/** Counts every request the @upstash/redis client sends (each is one round trip to Redis). */
class CountingRequester implements Requester {
  requests = 0;
  constructor(private readonly inner: IoRedisRequester) {}
  request<T>(req: UpstashRequest) {
    this.requests++;
    return this.inner.request<T>(req);
  }
}

/**
 * The hot path's conversation with Redis: a guarded hold (admission and budgets checked in the claim) is one
 * round trip before PostgreSQL and one claim extension after the answer, however the coordinator is split into ports.
 */
describe.skipIf(!realRedisUrl)('a hold’s round trips to Redis', () => {
  const { handle } = useTestDatabase();
  const inner = new IoRedisRequester(realRedisUrl!);
  const counting = new CountingRequester(inner);
  const coordinator = new RedisCoordinator(new Redis(counting), 'redis', () => inner.close());
  afterAll(() => coordinator.close());

  it('is two requests per hold: the guarded claim and, after the answer, the extension', async () => {
    const { event } = await createOnSaleEvent(handle().db, { rows: 2, seatsPerRow: 12 });
    const seats = await seatIdsOf(handle(), event.id);
    const buyers = await createUsers(handle().db, 11);
    const deps = testDeps(handle(), coordinator);
    const guard = { admission: { visitor: 'qv000001', untilMs: Date.now() + 600_000 }, ip: '203.0.113.9' };
    const settle = () => new Promise((resolve) => setTimeout(resolve, 100)); // the extension is sent after the answer
    // The first hold loads the scripts (EVALSHA, NOSCRIPT, EVAL): not counted.
    await placeHold(deps, { eventId: event.id, userId: buyers[0]!.id, seatIds: [seats[0]!] }, { guard });
    await settle();
    counting.requests = 0;
    for (let i = 1; i <= 10; i++)
      await placeHold(
        deps,
        { eventId: event.id, userId: buyers[i]!.id, seatIds: [seats[2 * i]!, seats[2 * i + 1]!] },
        { guard },
      );
    await settle();
    expect(counting.requests / 10).toBe(2);
  });
});
