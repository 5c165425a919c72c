import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { orders, payments, refunds } from '@/db/schema';
import { getEventDashboard } from '@/lib/admin/dashboard';
import type { MoneyParts, RevenueFigures } from '@/lib/admin/dashboard-types';
import { listEventsOverview } from '@/lib/admin/dashboard-overview';
import { cancelOrder } from '@/lib/checkout/cancel-order';
import { payForHold } from '@/lib/checkout/pay-for-hold';
import { SimulatedGateway } from '@/lib/checkout/simulated-gateway';
import { checkoutTestDeps, holdSeats } from '../support/checkout';
import { useTestCoordinator } from '../support/coordinator';
import { useTestDatabase } from '../support/database';
import { createOnSaleEvent, createUser } from '../support/fixtures';

const parts = (grossMinor: number, taxMinor: number): MoneyParts => ({
  netMinor: grossMinor - taxMinor,
  taxMinor,
  grossMinor,
});

/** Every row adds up across (net + tax = gross) and every column down (sold − refunded = kept). */
function expectAddsUp(revenue: RevenueFigures) {
  for (const row of [revenue.sold, revenue.refunded, revenue.kept])
    expect(row.netMinor + row.taxMinor).toBe(row.grossMinor);
  for (const part of ['netMinor', 'taxMinor', 'grossMinor'] as const)
    expect(revenue.sold[part] - revenue.refunded[part]).toBe(revenue.kept[part]);
}

/**
 * Issue 18: the organizer's revenue splits net, tax and gross (decision 046), for an event whose tax is added at
 * checkout and one whose prices include it, with whole and partial refunds, which return the tax with the price.
 */
describe('the dashboard’s revenue: net, tax and gross', () => {
  const { handle } = useTestDatabase({ maxConnections: 12 });
  const { coordinator } = useTestCoordinator();
  const deps = () => checkoutTestDeps(handle(), coordinator(), new SimulatedGateway({ delayMs: 0 }));
  const dashboardOf = (eventId: string) =>
    getEventDashboard({ db: handle().db, queue: coordinator().queue, now: () => new Date() }, eventId);
  const buyerOf = async () => ({ ...(await createUser(handle().db)), role: 'customer' as const });
  const buy = async (eventId: string, seats: number, offset: number) => {
    const buyer = await buyerOf();
    const hold = await holdSeats(deps(), eventId, buyer.id, seats, offset);
    const paid = await payForHold(
      deps(),
      buyer,
      { holdId: hold.id, paymentMethodId: 'pm_card_visa' },
      crypto.randomUUID(),
    );
    expect(paid.outcome).toBe('paid');
    return { buyer, orderId: paid.orderId };
  };

  it('takes exclusive tax out of the net, and a whole refund back out of every column', async () => {
    const { event } = await createOnSaleEvent(handle().db, {
      rows: 1,
      seatsPerRow: 4,
      priceMinor: 5000,
      event: { feePerTicketMinor: 250, taxMode: 'exclusive', taxRateBp: 2000, taxLabel: 'VAT' },
    });
    const empty = (await dashboardOf(event.id)).revenue;
    expect(empty).toMatchObject({ taxes: [], sold: parts(0, 0), refunded: parts(0, 0), kept: parts(0, 0) });

    // Two tickets: 100.00 + 5.00 fees (not taxed) + VAT 20.00 = 125.00; one ticket: 50.00 + 2.50 + 10.00 = 62.50.
    await buy(event.id, 2, 0);
    const one = await buy(event.id, 1, 2);
    let revenue = (await dashboardOf(event.id)).revenue;
    expect(revenue).toMatchObject({
      currency: 'USD',
      taxes: [{ label: 'VAT 20%', mode: 'exclusive' }],
      sold: parts(12500 + 6250, 2000 + 1000),
      refunded: parts(0, 0),
      kept: parts(18750, 3000),
      paidOrders: 2,
      ticketsSold: 3,
    });
    expect(revenue.kept.netMinor).toBe(15750);

    // The one-ticket order cancelled a month ahead: all of it back, its VAT with it.
    const cancelled = await cancelOrder(deps(), one.buyer, one.orderId);
    expect(cancelled.refund).toMatchObject({ amountMinor: 6250, taxMinor: 1000, status: 'succeeded' });
    revenue = (await dashboardOf(event.id)).revenue;
    expect(revenue).toMatchObject({
      sold: parts(18750, 3000),
      refunded: parts(6250, 1000),
      kept: parts(12500, 2000),
      paidOrders: 1,
      ticketsSold: 2,
    });
    expectAddsUp(revenue);

    // The events overview keeps the same three figures.
    const overview = await listEventsOverview({ db: handle().db, queue: coordinator().queue, now: () => new Date() });
    expect(overview.find((e) => e.id === event.id)!.revenue).toEqual({
      currency: 'USD',
      kept: parts(12500, 2000),
      ticketsSold: 2,
    });
  });

  it('finds inclusive tax inside the prices, and nets a partial refund’s share of it', async () => {
    const { event } = await createOnSaleEvent(handle().db, {
      rows: 1,
      seatsPerRow: 6,
      priceMinor: 1001,
      event: {
        taxMode: 'inclusive',
        taxRateBp: 2000,
        taxLabel: 'VAT',
        taxFees: true,
        feePerTicketMinor: 200,
        startsAt: new Date(Date.now() + 10 * 3_600_000),
        refundPolicy: [{ hoursBefore: 2, percent: 50 }],
      },
    });
    // 12.01 a line, VAT inside it: 1201 × 2000 / 12000 = 200.17, rounded half to even per line: 2.00.
    await buy(event.id, 3, 0);
    const partial = await buy(event.id, 1, 3);
    let revenue = (await dashboardOf(event.id)).revenue;
    expect(revenue).toMatchObject({
      taxes: [{ label: 'VAT 20%', mode: 'inclusive' }],
      sold: parts(4 * 1201, 4 * 200),
      kept: parts(4804, 800),
    });

    // Cancelled ten hours ahead: half back, and the VAT inside that half (the order's tax in proportion).
    const cancelled = await cancelOrder(deps(), partial.buyer, partial.orderId);
    const refund = cancelled.refund!;
    expect(refund.status).toBe('succeeded');
    expect(refund.amountMinor).toBeGreaterThanOrEqual(600);
    expect(refund.amountMinor).toBeLessThanOrEqual(601);
    expect(refund.taxMinor).toBe(100);
    revenue = (await dashboardOf(event.id)).revenue;
    expect(revenue).toMatchObject({
      sold: parts(4804, 800),
      refunded: parts(refund.amountMinor, 100),
      kept: parts(4804 - refund.amountMinor, 700),
    });
    expectAddsUp(revenue);
  });

  it('takes back all of an order’s tax when the whole order went back in parts, whatever their rounding', async () => {
    const { event } = await createOnSaleEvent(handle().db, {
      rows: 1,
      seatsPerRow: 2,
      priceMinor: 1200,
      event: { taxMode: 'inclusive', taxRateBp: 2000, taxLabel: 'VAT' },
    });
    const { orderId } = await buy(event.id, 1, 0);
    const db = handle().db;
    const [order] = await db.select().from(orders).where(eq(orders.id, orderId));
    expect(order).toMatchObject({ totalMinor: 1200, taxMinor: 200 });
    // Three refunds of 4.00 each: each holds 200 × 400 / 1200 = 66.67 of tax, rounded to 67; together 2.01 of a 2.00 tax.
    const [payment] = await db.select().from(payments).where(eq(payments.orderId, orderId));
    for (const reason of ['requested_by_customer', 'admin', 'duplicate'] as const)
      await db
        .insert(refunds)
        .values({ paymentId: payment!.id, orderId, amountMinor: 400, reason, status: 'succeeded' });
    await db.execute(sql`update orders set refunded_minor = total_minor where id = ${orderId}`);
    const inside = await db.select({ tax: refunds.taxMinor }).from(refunds).where(eq(refunds.orderId, orderId));
    expect(inside.reduce((n, r) => n + r.tax, 0)).toBe(201);

    const revenue = (await dashboardOf(event.id)).revenue;
    expect(revenue).toMatchObject({ sold: parts(1200, 200), refunded: parts(1200, 200), kept: parts(0, 0) });
    expectAddsUp(revenue);
  });
});
