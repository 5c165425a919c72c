import 'server-only';
import type { Role } from '@/lib/auth/viewer';
import { and, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database } from '@/db/client';
import { events, orderItems, orders, ticketTransfers, tickets, user, venues } from '@/db/schema';
import type { TicketDetails } from '@/lib/contracts/checkout';
import { AppError } from '@/lib/errors';
import { getEventPublicKey } from './get-event-signing-key';
import { ticketCodeFor } from './ticket-code-for';
import { isUuid } from '@/lib/contracts/uuid';

type Viewer = { id: string; role: Role };

/**
 * A ticket with its signed code. Only its current owner (or an admin) may see it: after a transfer the old owner
 * still sees their old, void ticket (no code) and gets 404 for the new one.
 */
export async function getTicketForViewer(db: Database, ticketId: string, viewer: Viewer): Promise<TicketDetails> {
  if (!isUuid(ticketId)) throw new AppError('NOT_FOUND', 'No such ticket.');
  const holder = alias(user, 'holder');
  const [row] = await db
    .select({
      ticket: tickets,
      item: orderItems,
      order: orders,
      event: events,
      venueName: venues.name,
      holderName: holder.name,
    })
    .from(tickets)
    .innerJoin(orderItems, eq(orderItems.id, tickets.orderItemId))
    .innerJoin(orders, eq(orders.id, tickets.orderId))
    .innerJoin(events, eq(events.id, tickets.eventId))
    .innerJoin(venues, eq(venues.id, events.venueId))
    .innerJoin(holder, eq(holder.id, tickets.ownerId))
    .where(eq(tickets.id, ticketId));
  if (!row || (row.ticket.ownerId !== viewer.id && viewer.role !== 'admin'))
    throw new AppError('NOT_FOUND', 'No such ticket.');
  const { ticket, item, event } = row;

  let transferredToEmail: string | null = null;
  if (ticket.voidReason === 'transferred') {
    const [next] = await db
      .select({ email: user.email })
      .from(tickets)
      .innerJoin(user, eq(user.id, tickets.ownerId))
      .where(eq(tickets.transferredFromId, ticket.id));
    transferredToEmail = next?.email ?? null;
  }
  const [pending] =
    ticket.status === 'valid'
      ? await db
          .select({ id: ticketTransfers.id, toEmail: ticketTransfers.toEmail, createdAt: ticketTransfers.createdAt })
          .from(ticketTransfers)
          .where(and(eq(ticketTransfers.ticketId, ticket.id), eq(ticketTransfers.status, 'pending')))
      : [];
  const seat = { sectionLabel: item.sectionLabel, rowLabel: item.rowLabel, seatLabel: item.seatLabel };
  return {
    id: ticket.id,
    status: ticket.status,
    voidReason: ticket.voidReason,
    ...seat,
    tierName: item.tierName,
    mine: ticket.ownerId === viewer.id,
    ...(row.order.userId === viewer.id || viewer.role === 'admin'
      ? { orderId: row.order.id, orderReference: row.order.reference }
      : { orderId: null, orderReference: null }),
    eventId: event.id,
    eventName: event.name,
    eventStartsAt: event.startsAt.toISOString(),
    eventTimezone: event.timezone,
    venueName: row.venueName,
    holderName: row.holderName,
    code:
      ticket.status === 'void'
        ? null
        : await ticketCodeFor(db, {
            id: ticket.id,
            eventId: event.id,
            nonce: ticket.nonce,
            issuedAt: ticket.issuedAt,
            ...seat,
          }),
    publicKey: await getEventPublicKey(db, event.id),
    transferredToEmail,
    pendingTransfer: pending
      ? { id: pending.id, toEmail: pending.toEmail, createdAt: pending.createdAt.toISOString() }
      : null,
  };
}
