import 'server-only';
import type { Role } from '@/lib/auth/viewer';
import { createHash, randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { events, orderItems, ticketTransfers, tickets, user } from '@/db/schema';
import type { TransferRequest, TransferResult } from '@/lib/contracts/checkout';
import { isUuid } from '@/lib/contracts/uuid';
import { deliverOutbox, queueEmail } from '@/lib/notifications/deliver-outbox';
import type { EmailSender } from '@/lib/notifications/email-sender';
import { transferOfferEmail } from '@/lib/notifications/order-emails';
import { appUrl } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { log } from '@/lib/observability/log';
import { enforceRateLimit } from '@/lib/ratelimit/enforce-rate-limit';

type Actor = { id: string; name: string; role: Role };
export type TransferDeps = { db: Database; now: () => Date; email: EmailSender };

/** The claim link's secret: 32 random bytes; the database keeps only its SHA-256. */
const newClaimToken = () => randomBytes(32).toString('base64url');
export const hashClaimToken = (token: string) => createHash('sha256').update(token).digest('base64url');

/** Where the recipient claims a transfer. */
const claimUrl = (token: string) => `${appUrl()}/tickets/claim?token=${token}`;

/**
 * POST /api/tickets/{id}/transfer: offers the ticket to an email address (docs/decisions/028-ticket-transfers.md).
 * Nothing moves yet: the ticket stays the sender's, and valid, while a link goes to that address; whoever opens it
 * signed in with that email claims the ticket, which is then reissued to them with a new code. The answer and the
 * email are the same whether or not an account uses the address, so a sender learns nothing about who has one.
 * One transfer in flight per ticket; offers are rate limited per account and address (each sends an email).
 */
export async function transferTicket(
  deps: TransferDeps,
  actor: Actor,
  ticketId: string,
  request: TransferRequest,
  /** `rateLimited: false`: the caller limits on its own (the counter sends a sale's tickets, lib/counter). */
  context: { ip?: string | null; rateLimited?: boolean } = {},
): Promise<TransferResult> {
  // Not a uuid: no such ticket (PostgreSQL would refuse to compare it with a uuid column).
  if (!isUuid(ticketId)) throw new AppError('NOT_FOUND', 'No such ticket.');
  const toEmail = request.email.toLowerCase();
  const now = deps.now();
  if (context.rateLimited !== false)
    await enforceRateLimit('ticket-transfer', { accountId: actor.id, ...(context.ip ? { ip: context.ip } : {}) });
  const token = newClaimToken();
  const transferId = await deps.db.transaction(async (tx) => {
    const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, ticketId)).for('update');
    if (!ticket || (ticket.ownerId !== actor.id && actor.role !== 'admin'))
      throw new AppError('NOT_FOUND', 'No such ticket.');
    if (ticket.status === 'void')
      throw new AppError('INVALID_STATE', 'This ticket is no longer valid (it was transferred or cancelled).');
    if (ticket.status === 'used') throw new AppError('INVALID_STATE', 'This ticket was already scanned at the door.');
    const [event] = await tx.select().from(events).where(eq(events.id, ticket.eventId));
    if (event!.startsAt <= now)
      throw new AppError('INVALID_STATE', 'The event has started; tickets can no longer be transferred.');
    // The owner's own address is known to the sender anyway: refusing it tells nothing.
    const [owner] = await tx.select({ email: user.email }).from(user).where(eq(user.id, ticket.ownerId));
    if (owner?.email.toLowerCase() === toEmail) {
      throw new AppError('VALIDATION_FAILED', 'This ticket already belongs to that email address.', {
        errors: [{ path: 'email', message: 'this is the current owner' }],
      });
    }
    const [pending] = await tx
      .select({ id: ticketTransfers.id })
      .from(ticketTransfers)
      .where(and(eq(ticketTransfers.ticketId, ticket.id), eq(ticketTransfers.status, 'pending')));
    if (pending)
      throw new AppError('CONFLICT', 'This ticket is already on its way to someone. Cancel that transfer first.', {
        transferId: pending.id,
      });
    const [offered] = await tx
      .insert(ticketTransfers)
      .values({
        ticketId: ticket.id,
        fromUserId: ticket.ownerId,
        toEmail,
        tokenHash: hashClaimToken(token),
        createdAt: now,
      })
      .returning({ id: ticketTransfers.id });
    const [item] = await tx.select().from(orderItems).where(eq(orderItems.id, ticket.orderItemId));
    await queueEmail(tx, transferOfferEmail(toEmail, actor.name, event!, item!, claimUrl(token)));
    return offered!.id;
  });
  log().info({ ticketId, transferId }, 'ticket transfer offered');
  await deliverOutbox(deps.db, deps.email).catch((error: unknown) =>
    log().warn({ err: error }, 'outbox delivery failed; retried later'),
  );
  return { transferId, ticketId, status: 'pending', toEmail };
}
