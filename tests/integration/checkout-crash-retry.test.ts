import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { payForHold } from '@/lib/checkout/pay-for-hold';
import { withIdempotency } from '@/lib/checkout/with-idempotency';
import { SimulatedGateway } from '@/lib/checkout/simulated-gateway';
import { checkoutTestDeps, countRows, holdSeats } from '../support/checkout';
import { useTestCoordinator } from '../support/coordinator';
import { useTestDatabase } from '../support/database';
import { createOnSaleEvent, createUser } from '../support/fixtures';

/**
 * The process died after the checkout committed (order paid, tickets issued) and before it stored its answer: the
 * key stays in progress, locked for a minute. The retry with the same key must get the same answer at once, not
 * 409 IDEMPOTENCY_KEY_IN_PROGRESS until the lock runs out (found by bench/chaos/crash.ts).
 */
describe('checkout retried after a crash between commit and answer', () => {
  const { handle } = useTestDatabase();
  const { coordinator } = useTestCoordinator();

  const crashedAfterCommit = (key: string) =>
    handle().db.execute(
      sql`update idempotency_keys set status = 'in_progress', response_status = null, response_body = null, locked_until = now() + interval '60 seconds' where key = ${key}`,
    );

  it('answers the retry at once with the same order and tickets, charging nothing again', async () => {
    const deps = checkoutTestDeps(handle(), coordinator(), new SimulatedGateway());
    const { event } = await createOnSaleEvent(handle().db, { rows: 2, seatsPerRow: 5 });
    const buyer = { ...(await createUser(handle().db)), role: 'customer' as const };
    const hold = await holdSeats(deps, event.id, buyer.id, 2);
    const key = `key-${crypto.randomUUID()}`;
    const first = await payForHold(deps, buyer, { holdId: hold.id, paymentMethodId: 'pm_card_visa' }, key);
    await crashedAfterCommit(key);

    const started = Date.now();
    const retry = await payForHold(deps, buyer, { holdId: hold.id, paymentMethodId: 'pm_card_visa' }, key, {
      idempotency: { waitMs: 2_000 },
    });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(retry).toEqual(first);
    expect(retry.ticketIds).toHaveLength(2);
    expect(await countRows(handle(), 'payments', sql`status = 'succeeded'`)).toBe(1);
  });

  it('still makes a retry wait while the work is not final (the first request may be charging the card)', async () => {
    const alice = await createUser(handle().db);
    const request = { userId: alice.id, scope: 'test', key: `key-${crypto.randomUUID()}`, request: {} };
    // A first request that claimed the key and is still running.
    void withIdempotency(handle().db, request, () => new Promise<string>(() => {}));
    await new Promise((r) => setTimeout(r, 50));
    await expect(
      withIdempotency(handle().db, request, async () => 'second', { waitMs: 100, settled: async () => undefined }),
    ).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_IN_PROGRESS' });
    expect(
      await withIdempotency(handle().db, request, async () => 'second', { waitMs: 100, settled: async () => 'final' }),
    ).toBe('final');
  });
});
