import { describe, expect, it } from 'vitest';
import { MemoryCoordinator } from '@/lib/coordination/memory';
import { payForHold } from '@/lib/checkout/pay-for-hold';
import { SimulatedGateway } from '@/lib/checkout/simulated-gateway';
import { CLAIM_LEASE_MS, getSaleRules, placeHold } from '@/lib/inventory';
import { claimTransfer } from '@/lib/tickets/claim-transfer';
import { transferTicket } from '@/lib/tickets/transfer-ticket';
import { checkoutTestDeps } from '../support/checkout';
import { useTestCoordinator } from '../support/coordinator';
import { useTestDatabase } from '../support/database';
import { createOnSaleEvent, createUser } from '../support/fixtures';
import { fakeClock, seatIdsOf, testDeps } from '../support/inventory';
import { claimTokenSentTo } from '../support/transfers';

describe('what an account may buy, and claims nobody backs', () => {
  const { handle } = useTestDatabase();
  const { coordinator } = useTestCoordinator();

  it('counts what the account bought for the event, tickets transferred away included, not what it owns now', async () => {
    const { event } = await createOnSaleEvent(handle().db, {
      rows: 2,
      seatsPerRow: 10,
      event: { perAccountLimit: 4, perOrderLimit: 4 },
    });
    const seats = await seatIdsOf(handle(), event.id);
    const deps = checkoutTestDeps(handle(), coordinator(), new SimulatedGateway());
    const buyer = { ...(await createUser(handle().db)), role: 'customer' as const };
    const friend = { ...(await createUser(handle().db)), role: 'customer' as const };

    const hold = await placeHold(deps, { eventId: event.id, userId: buyer.id, seatIds: seats.slice(0, 4) });
    const paid = await payForHold(
      deps,
      buyer,
      { holdId: hold.id, paymentMethodId: 'pm_card_visa' },
      `key-${crypto.randomUUID()}`,
    );
    for (const ticketId of paid.ticketIds) {
      await transferTicket(deps, { id: buyer.id, name: 'Buyer', role: 'customer' }, ticketId, { email: friend.email });
      await claimTransfer(deps, friend, await claimTokenSentTo(handle().db, friend.email));
    }

    // The buyer owns no ticket now, but bought four: the cap is spent.
    await expect(placeHold(deps, { eventId: event.id, userId: buyer.id, seatIds: [seats[4]!] })).rejects.toMatchObject({
      code: 'SEAT_LIMIT_EXCEEDED',
      extras: { current: 4 },
    });
    // Tickets received do not count against the receiver's own buying.
    const own = await placeHold(deps, { eventId: event.id, userId: friend.id, seatIds: seats.slice(4, 8) });
    expect(own.seatIds).toHaveLength(4);
  });

  it('lets a claim that no committed hold backs lapse within its lease, while a committed hold keeps its claims', async () => {
    const { event } = await createOnSaleEvent(handle().db, { rows: 1, seatsPerRow: 6 });
    const seats = await seatIdsOf(handle(), event.id);
    const clock = fakeClock();
    const filter = new MemoryCoordinator(clock.ms);
    const d = testDeps(handle(), filter, clock.now);
    const [alice, bob, carol] = [
      await createUser(handle().db),
      await createUser(handle().db),
      await createUser(handle().db),
    ];

    // A hold request that claimed two seats in the filter and died before PostgreSQL committed (a crash mid-hold): its
    // statement never completes and the process is gone before it can give the claims back.
    const dying = {
      ...d,
      db: new Proxy(d.db, {
        get: (target, property, receiver) =>
          property === 'execute'
            ? () => Promise.reject(new Error('process died'))
            : Reflect.get(target, property, receiver),
      }),
      seats: Object.assign(Object.create(filter.seats) as MemoryCoordinator['seats'], { release: async () => {} }),
    };
    await expect(
      placeHold(
        dying,
        { eventId: event.id, userId: alice.id, seatIds: seats.slice(0, 2) },
        { rules: await getSaleRules(d.db, event.id) },
      ),
    ).rejects.toThrow('process died');
    await expect(placeHold(d, { eventId: event.id, userId: bob.id, seatIds: seats.slice(0, 2) })).rejects.toMatchObject(
      { code: 'SEATS_UNAVAILABLE' },
    );
    clock.advance(CLAIM_LEASE_MS + 1);
    expect(
      (await placeHold(d, { eventId: event.id, userId: bob.id, seatIds: seats.slice(0, 2) })).seatIds,
    ).toHaveLength(2);

    // A hold that committed: its claims were extended to the hold's time, so the filter still refuses after the lease.
    await placeHold(d, { eventId: event.id, userId: alice.id, seatIds: seats.slice(2, 4) });
    await new Promise((resolve) => setTimeout(resolve, 50)); // the extension is sent after the answer
    clock.advance(CLAIM_LEASE_MS + 1);
    expect(await filter.seats.claim(event.id, seats.slice(2, 4), carol.id, 1_000)).toMatchObject({ ok: false });
    expect(CLAIM_LEASE_MS).toBeLessThanOrEqual(30_000);
  });
});
