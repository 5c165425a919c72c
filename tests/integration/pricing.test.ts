import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { discountCodes, orderItems, orders, payments, refunds } from '@/db/schema';
import { rows } from '@/db/sql';
import { createDiscountCode, listDiscountCodes } from '@/lib/admin/discount-codes';
import { cancelOrder } from '@/lib/checkout/cancel-order';
import { createPendingOrder } from '@/lib/checkout/create-pending-order';
import { getCheckoutView } from '@/lib/checkout/get-checkout-view';
import { payForHold } from '@/lib/checkout/pay-for-hold';
import { SimulatedGateway } from '@/lib/checkout/simulated-gateway';
import { getHoldForViewer, placeHold } from '@/lib/inventory';
import { outboxSettled } from '@/lib/notifications/deliver-outbox';
import { priceOrder, type DiscountRule, type TaxRule } from '@/lib/pricing/price-order';
import { checkoutTestDeps, holdSeats } from '../support/checkout';
import { useTestCoordinator } from '../support/coordinator';
import { useTestDatabase } from '../support/database';
import { createOnSaleEvent, createUser, createUsers } from '../support/fixtures';

const key = () => `key-${crypto.randomUUID()}`;
const VAT_20 = { taxMode: 'exclusive', taxRateBp: 2000, taxLabel: 'VAT' } as const;

describe('taxes and discount codes at checkout', () => {
  const { handle } = useTestDatabase({ maxConnections: 22 });
  const { coordinator } = useTestCoordinator();
  const deps = () => checkoutTestDeps(handle(), coordinator(), new SimulatedGateway({ delayMs: 0 }));
  const buyerOf = async () => ({ ...(await createUser(handle().db)), role: 'customer' as const });
  const orderOf = async (id: string) => (await handle().db.select().from(orders).where(eq(orders.id, id)))[0]!;
  const usesOf = async (id: string) =>
    (await handle().db.select().from(discountCodes).where(eq(discountCodes.id, id)))[0]!.usesCount;

  it('charges exclusive tax, stores it per item with its rate, mails it, and refunds it with the price', async () => {
    const d = deps();
    const { event, admin } = await createOnSaleEvent(handle().db, {
      rows: 1,
      seatsPerRow: 4,
      event: { feePerTicketMinor: 250, ...VAT_20 },
    });
    const code = await createDiscountCode(
      handle().db,
      event.id,
      { code: 'spring10', kind: 'percent', value: 1000, scope: 'order' },
      admin.id,
    );
    const buyer = await buyerOf();
    const hold = await holdSeats(d, event.id, buyer.id, 2);

    // The page's preview and the order agree to the unit: 2 × 50.00 − 10% = 90.00, fees 5.00, VAT 20% of 90.00.
    const view = await getCheckoutView(handle().db, hold.id, buyer, new Date(), { discountCode: 'Spring10' });
    expect(view.amounts).toMatchObject({ subtotalMinor: 10000, discountMinor: 1000, feesMinor: 500, taxMinor: 1800 });
    expect(view.amounts.totalMinor).toBe(11300);

    const paid = await payForHold(
      d,
      buyer,
      { holdId: hold.id, paymentMethodId: 'pm_card_visa', discountCode: 'SPRING10' },
      key(),
    );
    expect(paid).toMatchObject({ outcome: 'paid', totalMinor: 11300 });
    const order = await orderOf(paid.orderId);
    expect(order).toMatchObject({
      discountMinor: 1000,
      discountCode: 'SPRING10',
      taxMinor: 1800,
      taxMode: 'exclusive',
      taxRateBp: 2000,
      taxLabel: 'VAT',
    });
    const items = await handle().db.select().from(orderItems).where(eq(orderItems.orderId, order.id));
    expect(items.map((i) => [i.discountMinor, i.taxMinor, i.taxRateBp])).toEqual([
      [500, 900, 2000],
      [500, 900, 2000],
    ]);
    const [payment] = await handle().db.select().from(payments).where(eq(payments.orderId, order.id));
    expect(payment!.amountMinor).toBe(11300);
    expect(await usesOf(code.id)).toBe(1);

    await outboxSettled();
    const mail = d.email.sent.find((m) => m.subject.includes(order.reference))!;
    expect(mail.text).toContain('Discount (SPRING10): −$10\n');
    expect(mail.text).toContain('VAT 20%: $18\n');
    expect(mail.text).toContain('Total: $113\n');

    // Cancelled a month before the show: everything back, the tax with it, and the code's use given back.
    const cancelled = await cancelOrder(d, buyer, order.id);
    expect(cancelled.refund).toMatchObject({ amountMinor: 11300, taxMinor: 1800, status: 'succeeded' });
    expect(await orderOf(order.id)).toMatchObject({ status: 'refunded', refundedMinor: 11300 });
    expect(await usesOf(code.id)).toBe(0);
  });

  it('keeps inclusive tax inside the price and refunds its share with a partial refund', async () => {
    const d = deps();
    const { event } = await createOnSaleEvent(handle().db, {
      rows: 1,
      seatsPerRow: 3,
      priceMinor: 1000,
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
    const buyer = await buyerOf();
    const hold = await holdSeats(d, event.id, buyer.id, 3);
    const paid = await payForHold(d, buyer, { holdId: hold.id, paymentMethodId: 'pm_card_visa' }, key());
    // 12.00 a line including VAT 20%: 2.00 of it is tax; nothing is added.
    expect(await orderOf(paid.orderId)).toMatchObject({ totalMinor: 3600, taxMinor: 600 });
    const cancelled = await cancelOrder(d, buyer, paid.orderId);
    expect(cancelled.refund).toMatchObject({ amountMinor: 1800, taxMinor: 300 });
  });

  it('never lets 20 parallel checkouts overrun a code limited to 5 uses', async () => {
    const d = deps();
    const { event, admin } = await createOnSaleEvent(handle().db, { rows: 4, seatsPerRow: 5, event: VAT_20 });
    const code = await createDiscountCode(
      handle().db,
      event.id,
      { code: 'FIRST5', kind: 'fixed', value: 700, scope: 'ticket', maxUses: 5 },
      admin.id,
    );
    const buyers = await createUsers(handle().db, 20);
    const holds: Awaited<ReturnType<typeof holdSeats>>[] = [];
    for (const [i, b] of buyers.entries()) holds.push(await holdSeats(d, event.id, b.id, 1, i));
    const results = await Promise.allSettled(
      buyers.map((b, i) =>
        payForHold(
          d,
          { ...b, role: 'customer' },
          { holdId: holds[i]!.id, paymentMethodId: 'pm_card_visa', discountCode: 'FIRST5' },
          key(),
        ),
      ),
    );
    const paid = results.filter((r) => r.status === 'fulfilled');
    const refused = results.flatMap((r) =>
      r.status === 'rejected' ? [r.reason as { code: string; extras: object }] : [],
    );
    expect(paid).toHaveLength(5);
    expect(refused).toHaveLength(15);
    for (const r of refused)
      expect(r).toMatchObject({ code: 'DISCOUNT_CODE_INVALID', extras: { reason: 'exhausted' } });
    expect(await usesOf(code.id)).toBe(5);
    expect((await listDiscountCodes(handle().db, event.id))[0]).toMatchObject({
      code: 'FIRST5',
      usesCount: 5,
      paidOrders: 5,
      discountedMinor: 5 * 700,
    });
    const [counted] = await rows<{ n: number }>(
      handle().db,
      sql`select count(*)::int as n from orders where discount_code_id = ${code.id} and status = 'paid' and total_minor = (5000 - 700) * 12 / 10`,
    );
    expect(counted!.n).toBe(5);

    // A refused buyer's hold is untouched: they pay without the code.
    const loser = buyers[results.findIndex((r) => r.status === 'rejected')]!;
    const hold = holds[buyers.indexOf(loser)]!;
    await expect(
      payForHold(d, { ...loser, role: 'customer' }, { holdId: hold.id, paymentMethodId: 'pm_card_visa' }, key()),
    ).resolves.toMatchObject({ outcome: 'paid', totalMinor: 6000 });
  });

  it('says why a code cannot be used, gives a declined card’s use back, and holds the per-account limit', async () => {
    const d = deps();
    const { event, admin } = await createOnSaleEvent(handle().db, { rows: 1, seatsPerRow: 6 });
    const once = await createDiscountCode(
      handle().db,
      event.id,
      { code: 'ONCE-EACH', kind: 'fixed', value: 1500, scope: 'order', perAccountLimit: 1 },
      admin.id,
    );
    await createDiscountCode(
      handle().db,
      event.id,
      { code: 'OLD', kind: 'percent', value: 5000, scope: 'order', validUntil: new Date(Date.now() - 60_000) },
      admin.id,
    );
    const buyer = await buyerOf();
    const first = await holdSeats(d, event.id, buyer.id, 2);
    const pay = (holdId: string, discountCode: string, paymentMethodId = 'pm_card_visa') =>
      payForHold(d, buyer, { holdId, paymentMethodId, discountCode }, key());

    await expect(pay(first.id, 'NOPE')).rejects.toMatchObject({
      code: 'DISCOUNT_CODE_INVALID',
      extras: { reason: 'unknown' },
    });
    await expect(pay(first.id, 'OLD')).rejects.toMatchObject({ extras: { reason: 'expired' } });
    await expect(pay(first.id, 'ONCE-EACH', 'pm_card_chargeDeclined')).rejects.toMatchObject({
      code: 'PAYMENT_DECLINED',
    });
    expect(await usesOf(once.id)).toBe(0);
    const paid = await pay(first.id, 'ONCE-EACH');
    expect(paid.totalMinor).toBe(10000 - 1500);
    expect(await usesOf(once.id)).toBe(1);

    const second = await placeHold(d, { eventId: event.id, userId: buyer.id, seatIds: await freeSeats(event.id, 1) });
    const view = await getCheckoutView(handle().db, second.id, buyer, new Date(), { discountCode: 'once-each' });
    expect(view.discount).toMatchObject({ applied: false, problem: { reason: 'account_limit' } });
    expect(view.amounts.discountMinor).toBe(0);
    await expect(pay(second.id, 'ONCE-EACH')).rejects.toMatchObject({ extras: { reason: 'account_limit' } });
    expect(await usesOf(once.id)).toBe(1);
    expect(await handle().db.select().from(refunds)).toEqual([]);
  });

  it('prices the general path (createPendingOrder) as checkout_begin does, and counts its code use too', async () => {
    const d = deps();
    const { event, admin } = await createOnSaleEvent(handle().db, {
      rows: 1,
      seatsPerRow: 3,
      priceMinor: 3333,
      event: { ...VAT_20, taxFees: true, feePerTicketMinor: 99 },
    });
    const code = await createDiscountCode(
      handle().db,
      event.id,
      { code: 'SPLIT', kind: 'fixed', value: 1000, scope: 'order', maxUses: 1 },
      admin.id,
    );
    const buyer = await buyerOf();
    const held = await holdSeats(d, event.id, buyer.id, 3);
    const hold = await getHoldForViewer(handle().db, held.id, buyer);
    const order = await createPendingOrder(handle().db, {
      orderId: crypto.randomUUID(),
      hold,
      email: buyer.email,
      discountCode: 'SPLIT',
    });
    // 10.00 off 3 × 33.33 is 3.34 + 3.33 + 3.33; VAT 20% of each (price − discount + fee) rounded half to even.
    const expected = priceOrder(
      hold.seats.map(() => ({ priceMinor: 3333, feeMinor: 99 })),
      { mode: 'exclusive', rateBp: 2000, label: 'VAT', taxFees: true },
      { kind: 'fixed', value: 1000, scope: 'order' },
    );
    expect(order).toMatchObject({
      discountMinor: 1000,
      taxMinor: expected.taxMinor,
      totalMinor: expected.totalMinor,
      discountCodeId: code.id,
    });
    const items = await handle().db.select().from(orderItems).where(eq(orderItems.orderId, order.id));
    expect(items.map((i) => i.discountMinor).sort()).toEqual([333, 333, 334]);
    expect(await usesOf(code.id)).toBe(1);
  });

  const freeSeats = async (eventId: string, n: number) =>
    (
      await rows<{ id: string }>(
        handle().db,
        sql`select id from event_seats where event_id = ${eventId} and status = 'available' order by idx limit ${n}`,
      )
    ).map((r) => Number(r.id));

  it('prices in PostgreSQL exactly as lib/pricing does, for random carts', async () => {
    let state = 7;
    const next = (below: number) => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state % below;
    };
    const carts = Array.from({ length: 300 }, () => {
      const prices = Array.from({ length: 1 + next(6) }, () => (next(5) === 0 ? 0 : next(40_000)));
      const fee = next(2) ? next(700) : 0;
      const tax: TaxRule = {
        mode: (['none', 'inclusive', 'exclusive'] as const)[next(3)]!,
        rateBp: next(2500),
        label: 'VAT',
        taxFees: next(2) === 0,
      };
      const kind = (['percent', 'fixed'] as const)[next(2)]!;
      const discount: DiscountRule | null =
        next(4) === 0
          ? null
          : {
              kind,
              value: kind === 'percent' ? 1 + next(10_000) : 1 + next(60_000),
              scope: next(2) ? 'order' : 'ticket',
            };
      return { prices, fee, tax, discount };
    });
    const [row] = await rows<{ result: { discount_minor: number; tax_minor: number; total_minor: number }[][] }>(
      handle().db,
      sql`select jsonb_agg((select jsonb_agg(to_jsonb(p) order by p.ord) from price_order_lines(
                 array(select jsonb_array_elements_text(c->'prices')::int), (c->>'fee')::int, c->>'mode', (c->>'rate')::int,
                 (c->>'taxFees')::boolean, c->>'kind', (c->>'value')::int, c->>'scope') p) order by c.ord) as result
          from jsonb_array_elements(${JSON.stringify(
            carts.map((c) => ({
              prices: c.prices,
              fee: c.fee,
              mode: c.tax.mode,
              rate: c.tax.rateBp,
              taxFees: c.tax.taxFees,
              kind: c.discount?.kind ?? null,
              value: c.discount?.value ?? null,
              scope: c.discount?.scope ?? null,
            })),
          )}::jsonb) with ordinality as c(c, ord)`,
    );
    carts.forEach((cart, i) => {
      const expected = priceOrder(
        cart.prices.map((priceMinor) => ({ priceMinor, feeMinor: cart.fee })),
        cart.tax,
        cart.discount,
      ).lines.map((l) => ({ discount_minor: l.discountMinor, tax_minor: l.taxMinor, total_minor: l.totalMinor }));
      const got = row!.result[i]!.map((l) => ({
        discount_minor: l.discount_minor,
        tax_minor: l.tax_minor,
        total_minor: l.total_minor,
      }));
      expect(got, JSON.stringify(cart)).toEqual(expected);
    });
  });
});
