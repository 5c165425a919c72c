import 'server-only';
import type { Role } from '@/lib/auth/viewer';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { auditLog, events, orderItems, orders, payments, refunds, tickets, venues } from '@/db/schema';
import type { OrderDetails } from '@/lib/contracts/checkout';
import { AppError } from '@/lib/errors';
import { refundAmount, refundPercent } from '@/lib/tickets/refund-policy';
import { refundSummary } from './cancel-order';
import { isUuid } from '@/lib/contracts/uuid';

type Viewer = { id: string; role: Role };

/** An order with its seats, tickets and refunds. Anyone but its buyer (or an admin) gets 404, never its data. */
export async function getOrderForViewer(
  db: Database,
  orderId: string,
  viewer: Viewer,
  now: Date = new Date(),
): Promise<OrderDetails> {
  if (!isUuid(orderId)) throw new AppError('NOT_FOUND', 'No such order.');
  const [row] = await db
    .select({ order: orders, event: events, venueName: venues.name })
    .from(orders)
    .innerJoin(events, eq(events.id, orders.eventId))
    .innerJoin(venues, eq(venues.id, events.venueId))
    .where(eq(orders.id, orderId));
  if (!row || (row.order.userId !== viewer.id && viewer.role !== 'admin'))
    throw new AppError('NOT_FOUND', 'No such order.');
  const { order, event } = row;

  const [items, ticketRows, refundRows, [paid]] = await Promise.all([
    db
      .select()
      .from(orderItems)
      .where(eq(orderItems.orderId, order.id))
      .orderBy(asc(orderItems.sectionLabel), asc(orderItems.rowLabel), asc(orderItems.seatLabel)),
    db.select().from(tickets).where(eq(tickets.orderId, order.id)).orderBy(asc(tickets.issuedAt)),
    db.select().from(refunds).where(eq(refunds.orderId, order.id)).orderBy(asc(refunds.createdAt)),
    db
      .select({ wallet: payments.wallet, cardBrand: payments.cardBrand, cardLast4: payments.cardLast4 })
      .from(payments)
      .where(and(eq(payments.orderId, order.id), eq(payments.status, 'succeeded')))
      .limit(1),
  ]);
  const itemById = new Map(items.map((i) => [i.id, i]));
  const cancelledBy = await whoCancelled(db, order, ticketRows, refundRows);
  const percent = order.status === 'paid' ? refundPercent(event.refundPolicy, event.startsAt, now) : 0;
  const cancellable =
    order.status === 'paid' &&
    percent > 0 &&
    ticketRows.every((t) => t.status !== 'used' && (t.status === 'void' || t.ownerId === order.userId));

  return {
    id: order.id,
    reference: order.reference,
    status: order.status,
    eventId: event.id,
    eventName: event.name,
    eventStartsAt: event.startsAt.toISOString(),
    eventTimezone: event.timezone,
    venueName: row.venueName,
    currency: order.currency,
    subtotalMinor: order.subtotalMinor,
    feesMinor: order.feesMinor,
    discountMinor: order.discountMinor,
    discountCode: order.discountCode,
    taxMinor: order.taxMinor,
    taxMode: order.taxMode,
    taxRateBp: order.taxRateBp,
    taxLabel: order.taxLabel,
    totalMinor: order.totalMinor,
    refundedMinor: order.refundedMinor,
    failureCode: order.failureCode,
    failureMessage: order.failureMessage,
    createdAt: order.createdAt.toISOString(),
    paidAt: order.paidAt?.toISOString() ?? null,
    cancelledAt: order.cancelledAt?.toISOString() ?? null,
    cancelledBy,
    items: items.map((i) => ({
      eventSeatId: i.eventSeatId,
      sectionLabel: i.sectionLabel,
      rowLabel: i.rowLabel,
      seatLabel: i.seatLabel,
      tierName: i.tierName,
      priceMinor: i.priceMinor,
      feeMinor: i.feeMinor,
      discountMinor: i.discountMinor,
      taxMinor: i.taxMinor,
      taxRateBp: i.taxRateBp,
    })),
    // The buyer sees the tickets of their order; one transferred away shows as void, its successor is not theirs.
    tickets: ticketRows
      .filter((t) => t.ownerId === order.userId || viewer.role === 'admin')
      .map((t) => {
        const item = itemById.get(t.orderItemId)!;
        return {
          id: t.id,
          status: t.status,
          voidReason: t.voidReason,
          sectionLabel: item.sectionLabel,
          rowLabel: item.rowLabel,
          seatLabel: item.seatLabel,
          tierName: item.tierName,
          mine: t.ownerId === viewer.id,
        };
      }),
    refunds: refundRows.map(refundSummary),
    cancellation: cancellable
      ? { percent, refundMinor: refundAmount(order.totalMinor - order.refundedMinor, percent) }
      : null,
    paidWith: paid && (paid.wallet || paid.cardBrand || paid.cardLast4) ? paid : null,
  };
}

/**
 * The event's cancellation voids tickets for that reason; the orders desk refunds with reason `admin` or, for a
 * cancellation by the policy, records it in the audit log; anything else the buyer did.
 */
async function whoCancelled(
  db: Database,
  order: { id: string; status: string },
  ticketRows: { voidReason: string | null }[],
  refundRows: { reason: string }[],
): Promise<OrderDetails['cancelledBy']> {
  if (order.status !== 'cancelled' && order.status !== 'refunded') return null;
  if (
    ticketRows.some((t) => t.voidReason === 'event_cancelled') ||
    refundRows.some((r) => r.reason === 'event_cancelled')
  )
    return 'event';
  if (refundRows.some((r) => r.reason === 'admin')) return 'organizer';
  const [desk] = await db
    .select({ id: auditLog.id })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.entityType, 'order'),
        eq(auditLog.entityId, order.id),
        inArray(auditLog.action, ['order.cancel', 'order.refund_full']),
      ),
    )
    .limit(1);
  return desk ? 'organizer' : 'buyer';
}
