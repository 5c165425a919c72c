import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holds, orders, payments, refunds, tickets } from '@/db/schema';
import { rows } from '@/db/sql';
import { findUnsettledPayments } from '@/lib/checkout/reconcile-payments';
import { payForHold } from '@/lib/checkout/pay-for-hold';
import { outboxSettled } from '@/lib/notifications/deliver-outbox';
import { auditInventory, placeHold, sweepExpiredHolds } from '@/lib/inventory';
import { checkTicketCode } from '@/lib/tickets/check-ticket-code';
import { getTicketForViewer } from '@/lib/tickets/get-ticket-for-viewer';
import { checkoutTestDeps, countRows, holdSeats, PROVIDERS, seatStatuses } from '../support/checkout';
import { useTestCoordinator } from '../support/coordinator';
import { useTestDatabase } from '../support/database';
import { startFakeStripe, type FakeStripe } from '../support/fake-stripe';
import { createOnSaleEvent, createUser } from '../support/fixtures';
import { fakeClock, tally } from '../support/inventory';
import { MemoryCoordinator } from '@/lib/coordination/memory';

const key = () => `key-${crypto.randomUUID()}`;

describe.each(PROVIDERS)('checkout with $name', (provider) => {
  const { handle } = useTestDatabase({ maxConnections: 25 });
  const { coordinator } = useTestCoordinator();
  let fake: FakeStripe;
  beforeAll(async () => {
    fake = await startFakeStripe({ delayMs: 10 * 60_000 });
  });
  afterAll(async () => fake.close());

  /** With a clock, the coordinator runs on it too, so a hold's filter claim runs out when the hold does. */
  const setup = async (options: { seats?: number; fee?: number; clock?: ReturnType<typeof fakeClock> } = {}) => {
    const payments = provider.create(fake);
    const deps = options.clock
      ? checkoutTestDeps(handle(), new MemoryCoordinator(options.clock.ms), payments, options.clock.now)
      : checkoutTestDeps(handle(), coordinator(), payments);
    const { event } = await createOnSaleEvent(handle().db, {
      rows: 2,
      seatsPerRow: 5,
      event: { feePerTicketMinor: options.fee ?? 250 },
    });
    const buyer = { ...(await createUser(handle().db)), role: 'customer' as const };
    const hold = await holdSeats(deps, event.id, buyer.id, options.seats ?? 2);
    return { deps, event, buyer, hold };
  };
  const charges = async () => countRows(handle(), 'payments', sql`status = 'succeeded'`);

  it('pays for a hold: one charge, a paid order, a ticket per seat, the seats sold, a confirmation in the outbox', async () => {
    const { deps, event, buyer, hold } = await setup();
    const result = await payForHold(deps, buyer, { holdId: hold.id, paymentMethodId: 'pm_card_visa' }, key());

    expect(result).toMatchObject({ outcome: 'paid', status: 'paid', totalMinor: 2 * 5000 + 2 * 250, currency: 'USD' });
    expect(result.ticketIds).toHaveLength(2);
    expect(await seatStatuses(handle(), hold.seatIds)).toEqual(['sold', 'sold']);
    const [h] = await handle().db.select().from(holds).where(eq(holds.id, hold.id));
    expect(h).toMatchObject({ status: 'converted' });
    expect(h!.extendedAt).not.toBeNull();
    expect(await charges()).toBe(1);
    if (provider.name.startsWith('stripe')) {
      expect(
        fake.requests.filter((r) => r.path === '/v1/payment_intents' && r.idempotencyKey === result.orderId),
      ).toHaveLength(1);
    }
    // The confirmation is queued with the sale and sent in the background, not by the request.
    await outboxSettled();
    const [mail] = await rows<{ to_email: string; kind: string; sent_at: string | null }>(
      handle().db,
      sql`select to_email, kind, sent_at from email_outbox`,
    );
    expect(mail).toMatchObject({ to_email: buyer.email, kind: 'order_confirmation' });
    expect(mail!.sent_at).not.toBeNull();
    expect(deps.email.sent.map((m) => m.subject)).toEqual([expect.stringContaining(event.name)]);

    const ticket = await getTicketForViewer(handle().db, result.ticketIds[0]!, buyer);
    expect(await checkTicketCode(handle().db, ticket.code!)).toMatchObject({
      ok: true,
      ticketId: ticket.id,
      eventId: event.id,
    });
    expect((await auditInventory(handle().db)).violations).toEqual([]);
  });

  it('keeps the hold when a card is declined, says why, and takes another card with a new key', async () => {
    const { deps, buyer, hold } = await setup();
    await expect(
      payForHold(deps, buyer, { holdId: hold.id, paymentMethodId: 'pm_card_chargeDeclined' }, key()),
    ).rejects.toMatchObject({
      code: 'PAYMENT_DECLINED',
      status: 402,
      extras: { declineCode: 'generic_decline', holdStays: true },
    });
    await expect(
      payForHold(deps, buyer, { holdId: hold.id, paymentMethodId: 'pm_card_chargeDeclinedInsufficientFunds' }, key()),
    ).rejects.toMatchObject({
      code: 'PAYMENT_DECLINED',
      message: 'Your card has insufficient funds. Try another card.',
      extras: { declineCode: 'insufficient_funds' },
    });
    expect(await seatStatuses(handle(), hold.seatIds)).toEqual(['held', 'held']);
    expect(await countRows(handle(), 'tickets')).toBe(0);
    expect(await charges()).toBe(0);

    const paid = await payForHold(deps, buyer, { holdId: hold.id, paymentMethodId: 'pm_card_visa' }, key());
    expect(paid.outcome).toBe('paid');
    expect(await charges()).toBe(1);
    expect(await countRows(handle(), 'orders', sql`status = 'failed'`)).toBe(2);
  });

  it('replays the first answer for a repeated key, errors included, without calling the provider again', async () => {
    const { deps, buyer, hold } = await setup();
    const k = key();
    const first = await payForHold(deps, buyer, { holdId: hold.id, paymentMethodId: 'pm_card_visa' }, k);
    const again = await payForHold(deps, buyer, { holdId: hold.id, paymentMethodId: 'pm_card_visa' }, k);
    expect(again).toEqual(first);
    expect(await charges()).toBe(1);

    const other = await setup();
    const declinedKey = key();
    const firstError = await payForHold(
      other.deps,
      other.buyer,
      { holdId: other.hold.id, paymentMethodId: 'pm_card_chargeDeclined' },
      declinedKey,
    ).catch((e: unknown) => e);
    const callsBefore = fake.requests.length;
    const secondError = await payForHold(
      other.deps,
      other.buyer,
      { holdId: other.hold.id, paymentMethodId: 'pm_card_chargeDeclined' },
      declinedKey,
    ).catch((e: unknown) => e);
    expect(secondError).toMatchObject({ code: 'PAYMENT_DECLINED', message: (firstError as Error).message });
    expect(fake.requests.length).toBe(callsBefore);
    expect(await countRows(handle(), 'orders', sql`hold_id = ${other.hold.id}`)).toBe(1);
  });

  it('refuses the same key for another hold or another card (422)', async () => {
    const { deps, event, buyer, hold } = await setup();
    const k = key();
    await payForHold(deps, buyer, { holdId: hold.id, paymentMethodId: 'pm_card_visa' }, k);
    const second = await holdSeats(deps, event.id, buyer.id, 1, 5);
    await expect(
      payForHold(deps, buyer, { holdId: second.id, paymentMethodId: 'pm_card_visa' }, k),
    ).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', status: 422 });
    await expect(
      payForHold(deps, buyer, { holdId: hold.id, paymentMethodId: 'pm_card_chargeDeclined' }, k),
    ).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await seatStatuses(handle(), second.seatIds)).toEqual(['held']);
    expect(await charges()).toBe(1);
  });

  it('turns 20 concurrent checkouts with one key into one order and one charge', async () => {
    const { deps, buyer, hold } = await setup();
    const k = key();
    const stripeCallsBefore = fake.requests.filter((r) => r.path === '/v1/payment_intents').length;
    const result = await tally(
      Array.from({ length: 20 }, () =>
        payForHold(deps, buyer, { holdId: hold.id, paymentMethodId: 'pm_card_visa' }, k),
      ),
    );
    expect(result.unexpected).toEqual([]);
    // Each duplicate either waited for the first and got its answer, or was told it is still running.
    expect(result.granted.length + (result.codes.IDEMPOTENCY_KEY_IN_PROGRESS ?? 0)).toBe(20);
    expect(result.granted.length).toBeGreaterThanOrEqual(1);
    expect(new Set(result.granted.map((r) => r.orderId)).size).toBe(1);
    expect(await countRows(handle(), 'orders', sql`hold_id = ${hold.id}`)).toBe(1);
    expect(await charges()).toBe(1);
    if (provider.name.startsWith('stripe')) {
      expect(fake.requests.filter((r) => r.path === '/v1/payment_intents').length - stripeCallsBefore).toBe(1);
    }
  });

  it('lets only one of 10 concurrent checkouts with different keys pay for the same hold', async () => {
    const { deps, buyer, hold } = await setup();
    const result = await tally(
      Array.from({ length: 10 }, () =>
        payForHold(deps, buyer, { holdId: hold.id, paymentMethodId: 'pm_card_visa' }, key()),
      ),
    );
    expect(result.unexpected).toEqual([]);
    expect(result.granted).toHaveLength(1);
    expect(result.codes).toEqual({ CONFLICT: 9 });
    expect(await charges()).toBe(1);
    expect(await seatStatuses(handle(), hold.seatIds)).toEqual(['sold', 'sold']);
  });

  it('answers CONFLICT, not "hold ended", when the same buyer’s other checkout paid for the hold in between', async () => {
    const { deps, buyer, hold } = await setup();
    let other: Awaited<ReturnType<typeof payForHold>> | undefined;
    // The admission check runs after the hold was read and before it is extended: pay for it there, with another key.
    const guards = {
      admit: async () => {
        other = await payForHold(deps, buyer, { holdId: hold.id, paymentMethodId: 'pm_card_visa' }, key());
      },
    };
    const late = payForHold({ ...deps, guards }, buyer, { holdId: hold.id, paymentMethodId: 'pm_card_visa' }, key());
    const refused = await late.then(
      () => null,
      (error: unknown) => error,
    );
    expect(other).toMatchObject({ outcome: 'paid' });
    expect(refused).toMatchObject({ code: 'CONFLICT', extras: { orderId: other!.orderId } });
    expect(await charges()).toBe(1);
  });

  it('answers an ended hold with HOLD_NOT_ACTIVE before charging anything', async () => {
    const { deps, buyer, hold } = await setup();
    const late = { ...deps, now: () => new Date(Date.now() + 60 * 60_000) };
    await expect(
      payForHold(late, buyer, { holdId: hold.id, paymentMethodId: 'pm_card_visa' }, key()),
    ).rejects.toMatchObject({ code: 'HOLD_NOT_ACTIVE', status: 409 });
    expect(await countRows(handle(), 'orders')).toBe(0);
    expect(await charges()).toBe(0);
  });

  /** The bank settles a delayed payment and its success arrives (as a webhook would bring it); the payment, and what came of it. */
  async function bankAnswers(deps: Parameters<typeof payForHold>[0], orderId: string) {
    fake.settleProcessing();
    const [payment] = await handle().db.select().from(payments).where(eq(payments.orderId, orderId));
    const { applyPaymentEvent } = await import('@/lib/checkout/apply-payment-event');
    const outcome = await applyPaymentEvent(deps, {
      type: 'payment.succeeded',
      providerPaymentId: payment!.providerPaymentId!,
      orderId,
    });
    return { payment: payment!, outcome };
  }

  it('completes a late payment when the hold expired but the seats are still free', async () => {
    const clock = fakeClock();
    const { deps: clocked, buyer, hold } = await setup({ clock });
    const pending = await payForHold(clocked, buyer, { holdId: hold.id, paymentMethodId: 'pm_card_delayed' }, key());
    expect(pending).toMatchObject({ outcome: 'processing', status: 'pending' });
    expect(await seatStatuses(handle(), hold.seatIds)).toEqual(['held', 'held']);

    clock.advance(60 * 60_000); // the hold (extended once) ran out long ago
    const { outcome } = await bankAnswers(clocked, pending.orderId);
    expect(outcome).toBe('paid');

    const [order] = await handle().db.select().from(orders).where(eq(orders.id, pending.orderId));
    expect(order!.status).toBe('paid');
    expect(await seatStatuses(handle(), hold.seatIds)).toEqual(['sold', 'sold']);
    expect(await countRows(handle(), 'tickets', sql`order_id = ${pending.orderId}`)).toBe(2);
  });

  it('fails a late payment and refunds it when another buyer took the seats; never sells a seat twice', async () => {
    const clock = fakeClock();
    const { deps: clocked, event, buyer, hold } = await setup({ clock });
    const pending = await payForHold(clocked, buyer, { holdId: hold.id, paymentMethodId: 'pm_card_delayed' }, key());
    clock.advance(60 * 60_000);
    const rival = { ...(await createUser(handle().db)), role: 'customer' as const };
    const rivalHold = await placeHold(clocked, { eventId: event.id, userId: rival.id, seatIds: [hold.seatIds[1]!] });
    const rivalPaid = await payForHold(
      clocked,
      rival,
      { holdId: rivalHold.id, paymentMethodId: 'pm_card_visa' },
      key(),
    );
    expect(rivalPaid.outcome).toBe('paid');

    const { payment, outcome } = await bankAnswers(clocked, pending.orderId);
    expect(outcome).toBe('seats_lost');

    const [order] = await handle().db.select().from(orders).where(eq(orders.id, pending.orderId));
    expect(order).toMatchObject({ status: 'failed', failureCode: 'SEATS_TAKEN', refundedMinor: order!.totalMinor });
    const [refund] = await handle().db.select().from(refunds).where(eq(refunds.orderId, pending.orderId));
    expect(refund).toMatchObject({ reason: 'seats_lost', status: 'succeeded', amountMinor: order!.totalMinor });
    if (provider.name.startsWith('stripe'))
      expect(fake.refundedAmount(payment.providerPaymentId!)).toBe(order!.totalMinor);
    // The free seat was not sold to the late buyer either: all or nothing. The sweeper frees it.
    expect(await seatStatuses(handle(), hold.seatIds)).toEqual(['held', 'sold']);
    await sweepExpiredHolds(clocked);
    expect(await seatStatuses(handle(), hold.seatIds)).toEqual(['available', 'sold']);
    const live = await rows<{ seat: number; n: number }>(
      handle().db,
      sql`select event_seat_id as seat, count(*)::int as n from tickets where status <> 'void' group by event_seat_id`,
    );
    expect(live.every((r) => r.n === 1)).toBe(true);
    expect(await findUnsettledPayments(handle().db)).toEqual([]);
    expect((await auditInventory(handle().db)).violations).toEqual([]);

    // The buyer retrying the same request hears what happened.
    await expect(
      payForHold(clocked, buyer, { holdId: hold.id, paymentMethodId: 'pm_card_delayed' }, key()),
    ).rejects.toMatchObject({ code: 'HOLD_NOT_ACTIVE' });
  });

  it('tells the buyer at once when the seats were lost during the payment call, and refunds', async () => {
    const clock = fakeClock();
    const { deps, event, buyer, hold } = await setup({ clock });
    const rival = { ...(await createUser(handle().db)), role: 'customer' as const };
    // The card network is slow: while it answers, the hold runs out and someone else takes a seat.
    const slow = {
      ...deps,
      payments: {
        name: deps.payments.name,
        retrieve: (id: string) => deps.payments.retrieve(id),
        refund: (...args: Parameters<typeof deps.payments.refund>) => deps.payments.refund(...args),
        charge: async (...args: Parameters<typeof deps.payments.charge>) => {
          clock.advance(60 * 60_000);
          await placeHold(deps, { eventId: event.id, userId: rival.id, seatIds: [hold.seatIds[0]!] });
          return deps.payments.charge(...args);
        },
      },
    };
    const error = await payForHold(slow, buyer, { holdId: hold.id, paymentMethodId: 'pm_card_visa' }, key()).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'SEATS_UNAVAILABLE',
      status: 409,
      extras: { unavailableSeatIds: [hold.seatIds[0]], refund: { status: 'succeeded' } },
    });
    expect(await findUnsettledPayments(handle().db)).toEqual([]);
    expect(await countRows(handle(), 'tickets')).toBe(0);
    expect(await countRows(handle(), 'email_outbox', sql`kind = 'order_seats_lost'`)).toBe(1);
  });

  it('keeps idempotency answers at least 24 hours', async () => {
    const { deps, buyer, hold } = await setup();
    await payForHold(deps, buyer, { holdId: hold.id, paymentMethodId: 'pm_card_visa' }, key());
    const [kept] = await rows<{ hours: number; body: string }>(
      handle().db,
      sql`select extract(epoch from expires_at - created_at)::int / 3600 as hours, jsonb_typeof(response_body) as body from idempotency_keys`,
    );
    expect(kept).toEqual({ hours: 24, body: 'object' });
  });

  it('issues tickets nobody else can read', async () => {
    const { deps, buyer, hold } = await setup();
    const paid = await payForHold(deps, buyer, { holdId: hold.id, paymentMethodId: 'pm_card_visa' }, key());
    const stranger = { ...(await createUser(handle().db)), role: 'customer' as const };
    await expect(getTicketForViewer(handle().db, paid.ticketIds[0]!, stranger)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      payForHold(deps, stranger, { holdId: hold.id, paymentMethodId: 'pm_card_visa' }, key()),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const [t] = await handle().db.select().from(tickets).where(eq(tickets.id, paid.ticketIds[0]!));
    expect(t!.ownerId).toBe(buyer.id);
  });
});
