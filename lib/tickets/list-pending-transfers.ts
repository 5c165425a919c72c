import 'server-only';
import { and, asc, eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { events, orderItems, ticketTransfers, tickets, user } from '@/db/schema';
import type { PendingTransfer } from '@/lib/contracts/checkout';

/**
 * Tickets on their way to this person's email address, for their tickets page after sign-up or sign-in: who sends
 * which seat. Claiming still needs the emailed link (it proves the mailbox; the app does not verify addresses).
 */
export async function listTransfersToViewer(db: Database, viewer: { email: string }): Promise<PendingTransfer[]> {
  const found = await db
    .select({ transfer: ticketTransfers, fromName: user.name, event: events, item: orderItems })
    .from(ticketTransfers)
    .innerJoin(user, eq(user.id, ticketTransfers.fromUserId))
    .innerJoin(tickets, eq(tickets.id, ticketTransfers.ticketId))
    .innerJoin(events, eq(events.id, tickets.eventId))
    .innerJoin(orderItems, eq(orderItems.id, tickets.orderItemId))
    .where(
      and(
        eq(ticketTransfers.toEmail, viewer.email.toLowerCase()),
        eq(ticketTransfers.status, 'pending'),
        eq(tickets.status, 'valid'),
      ),
    )
    .orderBy(asc(ticketTransfers.createdAt))
    .limit(50);
  return found.map(({ transfer, fromName, event, item }) => ({
    id: transfer.id,
    ticketId: transfer.ticketId,
    toEmail: transfer.toEmail,
    fromName,
    eventName: event.name,
    eventStartsAt: event.startsAt.toISOString(),
    eventTimezone: event.timezone,
    sectionLabel: item.sectionLabel,
    rowLabel: item.rowLabel,
    seatLabel: item.seatLabel,
    createdAt: transfer.createdAt.toISOString(),
  }));
}

/** The pending transfer a claim link names, when it was sent to this viewer's email; else null (nothing to tell). */
export async function previewTransfer(
  db: Database,
  viewer: { email: string },
  tokenHash: string,
): Promise<PendingTransfer | null> {
  const mine = await listTransfersToViewer(db, viewer);
  const [found] = await db
    .select({ id: ticketTransfers.id })
    .from(ticketTransfers)
    .where(eq(ticketTransfers.tokenHash, tokenHash));
  return mine.find((t) => t.id === found?.id) ?? null;
}
