import 'server-only';
import { randomInt } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { discountCodes, events, orderItems, orders, type Order } from '@/db/schema';
import { PG, pgErrorCode } from '@/db/sql';
import { AppError } from '@/lib/errors';
import type { HoldDetails } from '@/lib/inventory';
import { NO_TAX, priceOrder, type DiscountRule, type PricedOrder, type TaxRule } from '@/lib/pricing/price-order';
import { asDiscountCodeRefusal, discountCodeRefused } from './discount-code-refusal';
import { discountRule } from './discount-codes';

// No 0/O, 1/I/L: references are read out over the phone.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const newOrderReference = () => {
  const pick = () => Array.from({ length: 4 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return `AO-${pick()}-${pick()}`;
};

/**
 * Prices as the hold shows them now: each seat's tier price and the event's fee per ticket, in the seats' order,
 * with the discount and the tax (lib/pricing/price-order.ts).
 */
export function priceHold(
  hold: Pick<HoldDetails, 'seats' | 'feePerTicketMinor'>,
  tax: TaxRule = NO_TAX,
  discount: DiscountRule | null = null,
): PricedOrder {
  return priceOrder(
    hold.seats.map((s) => ({ priceMinor: s.priceMinor, feeMinor: hold.feePerTicketMinor })),
    tax,
    discount,
  );
}

/**
 * The order for one payment attempt on a hold, with one item per seat, in one transaction. At most one live
 * (pending or paid) order exists per hold, enforced by a unique index: a second attempt while one is running, or
 * after the seats were paid for, gets 409 CONFLICT naming that order.
 */
export async function createPendingOrder(
  db: Database,
  input: { orderId: string; hold: HoldDetails; email: string; discountCode?: string },
  /** Written in the same transaction (the counter records its payment with the order, lib/counter). */
  also?: (tx: Database, order: Order) => Promise<void>,
): Promise<Order> {
  const { hold } = input;
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction(async (tx) => {
        // The event's tax and the code read in the order's own transaction: the amounts are decided here, once.
        const [event] = await tx
          .select({ mode: events.taxMode, rateBp: events.taxRateBp, label: events.taxLabel, taxFees: events.taxFees })
          .from(events)
          .where(eq(events.id, hold.eventId));
        const [code] = input.discountCode
          ? await tx
              .select()
              .from(discountCodes)
              .where(and(eq(discountCodes.eventId, hold.eventId), eq(discountCodes.code, input.discountCode)))
          : [];
        if (input.discountCode && !code) throw discountCodeRefused('unknown');
        const tax = event ?? NO_TAX;
        const priced = priceHold(hold, tax, code ? discountRule(code) : null);
        const [order] = await tx
          .insert(orders)
          .values({
            id: input.orderId,
            reference: newOrderReference(),
            userId: hold.userId,
            eventId: hold.eventId,
            holdId: hold.id,
            status: 'pending',
            email: input.email,
            currency: hold.currency,
            subtotalMinor: priced.subtotalMinor,
            discountMinor: priced.discountMinor,
            feesMinor: priced.feesMinor,
            taxMinor: priced.taxMinor,
            totalMinor: priced.totalMinor,
            taxMode: tax.mode,
            taxRateBp: tax.rateBp,
            taxLabel: tax.label,
            discountCodeId: code?.id ?? null,
            discountCode: code?.code ?? null,
          })
          .returning();
        await tx.insert(orderItems).values(
          hold.seats.map((seat, i) => ({
            orderId: input.orderId,
            eventSeatId: seat.id,
            priceMinor: seat.priceMinor,
            feeMinor: hold.feePerTicketMinor,
            discountMinor: priced.lines[i]!.discountMinor,
            taxMinor: priced.lines[i]!.taxMinor,
            taxRateBp: tax.rateBp,
            tierName: seat.tierName,
            sectionLabel: seat.sectionLabel,
            rowLabel: seat.rowLabel,
            seatLabel: seat.seatLabel,
          })),
        );
        await also?.(tx, order!);
        return order!;
      });
    } catch (error) {
      const refused = asDiscountCodeRefusal(error);
      if (refused) throw refused;
      if (pgErrorCode(error) !== PG.uniqueViolation) throw error;
      const [live] = await db
        .select({ id: orders.id, status: orders.status })
        .from(orders)
        .where(and(eq(orders.holdId, hold.id), inArray(orders.status, ['pending', 'paid'])));
      if (live) {
        throw new AppError(
          'CONFLICT',
          live.status === 'paid'
            ? 'These seats are already paid for.'
            : 'A payment for these seats is already in progress. Wait for it to finish.',
          { orderId: live.id },
        );
      }
      // Otherwise the random reference collided: draw another.
      if (attempt >= 3) throw error;
    }
  }
}
