import 'server-only';
import { randomBytes } from 'node:crypto';
import type { Database } from '@/db/client';
import { tickets, type OrderItem } from '@/db/schema';

/** A fresh random nonce per issue: it is part of the signed code, so a re-issued ticket has a new code. */
export const newTicketNonce = () => randomBytes(12).toString('base64url');

/**
 * One live ticket per order item, inside the transaction that sells the seats: the deferred trigger checks at
 * commit that every sold seat has exactly one live ticket, and the partial unique index refuses a second one.
 */
export async function issueTickets(tx: Database, order: { id: string; eventId: string; userId: string }, items: OrderItem[], issuedAt: Date): Promise<string[]> {
  if (items.length === 0) return [];
  const issued = await tx
    .insert(tickets)
    .values(items.map((item) => ({ orderId: order.id, orderItemId: item.id, eventId: order.eventId, eventSeatId: item.eventSeatId, ownerId: order.userId, nonce: newTicketNonce(), issuedAt })))
    .returning({ id: tickets.id });
  return issued.map((t) => t.id);
}
