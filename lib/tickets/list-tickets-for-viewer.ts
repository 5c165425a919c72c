import 'server-only';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { events, orderItems, tickets, venues } from '@/db/schema';

export type OwnedTicket = {
  id: string;
  status: 'valid' | 'used';
  sectionLabel: string;
  rowLabel: string;
  seatLabel: string;
  eventId: string;
  eventName: string;
  eventStartsAt: Date;
  eventTimezone: string;
  venueName: string;
  orderId: string;
  /** Received from someone else (they keep the order; this person has the ticket). */
  transferred: boolean;
};

/** The live tickets someone holds now, soonest event first: their own and those transferred to them. */
export async function listTicketsForViewer(db: Database, userId: string): Promise<OwnedTicket[]> {
  const list = await db
    .select({ ticket: tickets, item: orderItems, event: events, venueName: venues.name })
    .from(tickets)
    .innerJoin(orderItems, eq(orderItems.id, tickets.orderItemId))
    .innerJoin(events, eq(events.id, tickets.eventId))
    .innerJoin(venues, eq(venues.id, events.venueId))
    .where(and(eq(tickets.ownerId, userId), inArray(tickets.status, ['valid', 'used'])))
    .orderBy(asc(events.startsAt), asc(orderItems.sectionLabel), asc(orderItems.rowLabel), asc(orderItems.seatLabel));
  return list.map(({ ticket, item, event, venueName }) => ({
    id: ticket.id,
    status: ticket.status as 'valid' | 'used',
    sectionLabel: item.sectionLabel,
    rowLabel: item.rowLabel,
    seatLabel: item.seatLabel,
    eventId: event.id,
    eventName: event.name,
    eventStartsAt: event.startsAt,
    eventTimezone: event.timezone,
    venueName,
    orderId: ticket.orderId,
    transferred: ticket.transferredFromId !== null,
  }));
}
