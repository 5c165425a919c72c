import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '@/db/client';
import { checkoutGuards } from '@/lib/checkout/checkout-guards';
import { payForHold } from '@/lib/checkout/pay-for-hold';
import { SimulatedGateway } from '@/lib/checkout/simulated-gateway';
import { parseEnv } from '@/lib/env';
import { admittedCookie } from '../support/admission';
import { checkoutTestDeps, holdSeats } from '../support/checkout';
import { useTestCoordinator } from '../support/coordinator';
import { useTestDatabase } from '../support/database';
import { createOnSaleEvent, createUser } from '../support/fixtures';
import { sessionCookies } from '../support/sessions';

/**
 * A paid checkout is two statements: checkout_begin (records the attempt, once the waiting room's admission for the
 * event the buyer's cookie names was checked) and, after the provider's charge, checkout_finalise (sells, issues,
 * stores the answer).
 * Counted from the driver's own log of what it sends.
 */
describe.skipIf(!process.env.DATABASE_URL)('a paid checkout, counted', () => {
  const { handle, url } = useTestDatabase();
  const { coordinator } = useTestCoordinator();
  let counted: DatabaseHandle | undefined;
  afterAll(async () => counted?.close());

  it('takes two statements and two commits (the issue allows 12 and 3)', async () => {
    const statements: string[] = [];
    counted = await openDatabase(parseEnv({ DATABASE_URL: url() }), {
      maxConnections: 2,
      logQuery: (q) => statements.push(q),
    });
    const deps = { ...checkoutTestDeps(handle(), coordinator(), new SimulatedGateway()), db: counted.db };
    const { event } = await createOnSaleEvent(handle().db, { rows: 1, seatsPerRow: 6 });
    const buyer = { ...(await createUser(handle().db)), role: 'customer' as const };
    const [warmUp, hold] = [
      await holdSeats(deps, event.id, buyer.id, 2),
      await holdSeats(deps, event.id, buyer.id, 4, 2),
    ];
    const [session] = await sessionCookies(handle().db, [buyer.id]);
    const cookie = await admittedCookie(session!, event.id, buyer.id);
    const guarded = () => ({ ...deps, guards: checkoutGuards(deps, cookie, buyer) });
    // The first checkout of a process reads the event's settings once; they stay cached for seconds.
    await payForHold(
      guarded(),
      buyer,
      { holdId: warmUp.id, paymentMethodId: 'pm_card_visa' },
      `key-${crypto.randomUUID()}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Statements outside a transaction commit one by one; a transaction commits once for all of its statements.
    let transactions = 0;
    let inTransaction = 0;
    const statementsOutside: string[] = [];
    const transaction = counted.db.transaction.bind(counted.db);
    counted.db.transaction = ((fn: Parameters<typeof transaction>[0]) => {
      transactions++;
      inTransaction++;
      return transaction(fn).finally(() => inTransaction--);
    }) as typeof transaction;
    statements.length = 0;
    const log = statements.push.bind(statements);
    statements.push = (...q: string[]) => {
      if (inTransaction === 0) statementsOutside.push(...q.filter((x) => !x.includes('email_outbox')));
      return log(...q);
    };

    const result = await payForHold(
      guarded(),
      buyer,
      { holdId: hold.id, paymentMethodId: 'pm_card_visa' },
      `key-${crypto.randomUUID()}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 200)); // what runs after the answer (the shopping window ends)

    expect(result).toMatchObject({ outcome: 'paid', status: 'paid' });
    expect(result.ticketIds).toHaveLength(4);
    // The confirmation email is delivered in the background, one batch for every checkout of a burst.
    const own = statements.filter((q) => !q.includes('email_outbox'));
    expect(own, own.join('\n')).toHaveLength(2);
    expect(own.length).toBeLessThanOrEqual(12);
    expect(statements.length - own.length).toBeLessThanOrEqual(1);
    expect(statementsOutside.length + transactions).toBeLessThanOrEqual(2);
    expect(transactions).toBe(0);
  });
});
