import 'server-only';
import { randomInt } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { orderItems, orders, type Order } from '@/db/schema';
import { PG, pgErrorCode } from '@/db/sql';
import { AppError } from '@/lib/errors';
import type { HoldDetails } from '@/lib/inventory';

// No 0/O, 1/I/L: references are read out over the phone.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const newOrderReference = () => {
  const pick = () => Array.from({ length: 4 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return `AO-${pick()}-${pick()}`;
};

/** Prices as the hold shows them now: the seat's tier price plus the event's fee per ticket. */
export function priceHold(hold: Pick<HoldDetails, 'seats' | 'feePerTicketMinor'>) {
  const subtotalMinor = hold.seats.reduce((sum, s) => sum + s.priceMinor, 0);
  const feesMinor = hold.feePerTicketMinor * hold.seats.length;
  return { subtotalMinor, feesMinor, totalMinor: subtotalMinor + feesMinor };
}

/**
 * The order for one payment attempt on a hold, with one item per seat, in one transaction. At most one live
 * (pending or paid) order exists per hold, enforced by a unique index: a second attempt while one is running, or
 * after the seats were paid for, gets 409 CONFLICT naming that order.
 */
export async function createPendingOrder(
  db: Database,
  input: { orderId: string; hold: HoldDetails; email: string },
  /** Written in the same transaction (the counter records its payment with the order, lib/counter). */
  also?: (tx: Database, order: Order) => Promise<void>,
): Promise<Order> {
  const { hold } = input;
  const amounts = priceHold(hold);
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction(async (tx) => {
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
            ...amounts,
          })
          .returning();
        await tx.insert(orderItems).values(
          hold.seats.map((seat) => ({
            orderId: input.orderId,
            eventSeatId: seat.id,
            priceMinor: seat.priceMinor,
            feeMinor: hold.feePerTicketMinor,
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
