import 'server-only';
import { and, asc, eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { orders, payments, tickets } from '@/db/schema';
import type { Viewer } from '@/lib/auth/viewer';
import type { TicketDetails } from '@/lib/contracts/checkout';
import { isUuid } from '@/lib/contracts/uuid';
import { AppError } from '@/lib/errors';
import { getTicketForViewer } from '@/lib/tickets/get-ticket-for-viewer';

export type SaleTickets = { orderId: string; reference: string; tickets: TicketDetails[] };

/**
 * The print view of a counter sale: its tickets with their signed codes, for the staff member whose account holds
 * them (or an organizer). A ticket the buyer has claimed since is theirs and shows as transferred; an online order is
 * not a counter sale ("not found").
 */
export async function getSaleTickets(
  db: Database,
  orderId: string,
  viewer: Pick<Viewer, 'id' | 'role'>,
): Promise<SaleTickets> {
  if (!isUuid(orderId)) throw new AppError('NOT_FOUND', 'No such counter sale.');
  const [order] = await db
    .select({ id: orders.id, reference: orders.reference, userId: orders.userId })
    .from(orders)
    .innerJoin(payments, and(eq(payments.orderId, orders.id), eq(payments.provider, 'counter')))
    .where(eq(orders.id, orderId));
  if (!order || (order.userId !== viewer.id && viewer.role !== 'admin'))
    throw new AppError('NOT_FOUND', 'No such counter sale.');
  const issued = await db
    .select({ id: tickets.id })
    .from(tickets)
    .where(and(eq(tickets.orderId, orderId), eq(tickets.ownerId, order.userId)))
    .orderBy(asc(tickets.eventSeatId));
  return {
    orderId,
    reference: order.reference,
    tickets: await Promise.all(issued.map((t) => getTicketForViewer(db, t.id, viewer))),
  };
}
