import 'server-only';
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { events, orderItems, tickets, user } from '@/db/schema';
import type { TransferRequest, TransferResult } from '@/lib/contracts/checkout';
import { AppError } from '@/lib/errors';
import { log } from '@/lib/observability/log';
import { deliverOutbox, queueEmail } from '@/lib/checkout/deliver-outbox';
import type { EmailSender } from '@/lib/checkout/email-sender';
import { transferEmail } from '@/lib/checkout/order-emails';
import { newTicketNonce } from './issue-tickets';
import { isUuid } from '@/lib/contracts/uuid';

type Actor = { id: string; name: string; role: 'customer' | 'admin' };

/**
 * POST /api/tickets/{id}/transfer: the ticket is voided and a new one (new id, new nonce, so a new signed code) is
 * issued to the account with that email, in one transaction. The old code stops verifying (scanners learn the void
 * id from their revocation list, and the online check sees it void); the old owner loses access, the new one has it.
 */
export async function transferTicket(deps: { db: Database; now: () => Date; email: EmailSender }, actor: Actor, ticketId: string, request: TransferRequest): Promise<TransferResult> {
  // Not a uuid: no such ticket (PostgreSQL would refuse to compare it with a uuid column).
  if (!isUuid(ticketId)) throw new AppError('NOT_FOUND', 'No such ticket.');
  const now = deps.now();
  const newId = await deps.db.transaction(async (tx) => {
    const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, ticketId)).for('update');
    if (!ticket || (ticket.ownerId !== actor.id && actor.role !== 'admin')) throw new AppError('NOT_FOUND', 'No such ticket.');
    if (ticket.status === 'void') throw new AppError('INVALID_STATE', 'This ticket is no longer valid (it was transferred or cancelled).');
    if (ticket.status === 'used') throw new AppError('INVALID_STATE', 'This ticket was already scanned at the door.');
    const [event] = await tx.select().from(events).where(eq(events.id, ticket.eventId));
    if (event!.startsAt <= now) throw new AppError('INVALID_STATE', 'The event has started; tickets can no longer be transferred.');

    const [recipient] = await tx.select().from(user).where(sql`lower(${user.email}) = ${request.email.toLowerCase()}`);
    if (!recipient) {
      throw new AppError('VALIDATION_FAILED', `No AdmitOne account uses ${request.email}. Ask them to create one, then try again.`, {
        errors: [{ path: 'email', message: 'no account uses this email' }],
      });
    }
    if (recipient.id === ticket.ownerId) {
      throw new AppError('VALIDATION_FAILED', 'This ticket already belongs to that account.', { errors: [{ path: 'email', message: 'this is the current owner' }] });
    }

    const [voided] = await tx
      .update(tickets)
      .set({ status: 'void', voidReason: 'transferred', voidedAt: now })
      .where(and(eq(tickets.id, ticket.id), eq(tickets.status, 'valid')))
      .returning({ id: tickets.id });
    if (!voided) throw new AppError('CONFLICT', 'This ticket changed while you were transferring it. Reload and try again.');
    const [issued] = await tx
      .insert(tickets)
      .values({
        orderId: ticket.orderId,
        orderItemId: ticket.orderItemId,
        eventId: ticket.eventId,
        eventSeatId: ticket.eventSeatId,
        ownerId: recipient.id,
        nonce: newTicketNonce(),
        transferredFromId: ticket.id,
        issuedAt: now,
      })
      .returning({ id: tickets.id });
    const [item] = await tx.select().from(orderItems).where(eq(orderItems.id, ticket.orderItemId));
    await queueEmail(tx, transferEmail(recipient.email, actor.name, event!, item!, issued!.id));
    return issued!.id;
  });
  log().info({ ticketId, newTicketId: newId }, 'ticket transferred');
  await deliverOutbox(deps.db, deps.email).catch((error: unknown) => log().warn({ err: error }, 'outbox delivery failed; retried later'));
  return { ticketId, status: 'transferred', toEmail: request.email };
}
