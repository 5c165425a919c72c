import 'server-only';
import { and, eq } from 'drizzle-orm';
import { events, ticketTransfers, tickets } from '@/db/schema';
import type { ClaimTransferResult } from '@/lib/contracts/checkout';
import { AppError } from '@/lib/errors';
import { log } from '@/lib/observability/log';
import { enforceRateLimit } from '@/lib/ratelimit/enforce-rate-limit';
import { newTicketNonce } from './issue-tickets';
import { hashClaimToken, type TransferDeps } from './transfer-ticket';

type Claimant = { id: string; email: string };

/**
 * POST /api/transfers/claim: the recipient takes the ticket. Needs both the link's secret (proof of reading that
 * mailbox) and a session whose account email is the address it was sent to; any mismatch answers the same 404, so
 * a wrong account learns nothing about the transfer. In one transaction the sender's ticket is voided ('transferred')
 * and a new ticket (new id, new nonce, so a new signed code) is issued to the claimant: the sender's QR code stops
 * working (scanners learn the void id from their revocation list; the online check sees it void).
 */
export async function claimTransfer(
  deps: TransferDeps,
  claimant: Claimant,
  token: string,
  context: { ip?: string | null } = {},
): Promise<ClaimTransferResult> {
  await enforceRateLimit('transfer-claim', { accountId: claimant.id, ...(context.ip ? { ip: context.ip } : {}) });
  const now = deps.now();
  const notFound = () =>
    new AppError(
      'NOT_FOUND',
      'This transfer link is not valid for the account you are signed in with. Sign in with the email address it was sent to.',
    );
  const result = await deps.db.transaction(async (tx) => {
    const [transfer] = await tx
      .select()
      .from(ticketTransfers)
      .where(eq(ticketTransfers.tokenHash, hashClaimToken(token)))
      .for('update');
    if (!transfer || transfer.toEmail !== claimant.email.toLowerCase()) throw notFound();
    if (transfer.status === 'claimed') {
      if (transfer.claimedTicketId) {
        const [mine] = await tx
          .select({ ownerId: tickets.ownerId })
          .from(tickets)
          .where(eq(tickets.id, transfer.claimedTicketId));
        if (mine?.ownerId === claimant.id)
          return { transferId: transfer.id, status: 'claimed' as const, ticketId: transfer.claimedTicketId };
      }
      throw new AppError('INVALID_STATE', 'This ticket was already claimed.');
    }
    if (transfer.status === 'cancelled')
      throw new AppError('INVALID_STATE', 'The sender cancelled this transfer; the ticket is still theirs.');
    const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, transfer.ticketId)).for('update');
    if (!ticket || ticket.status !== 'valid' || ticket.ownerId !== transfer.fromUserId) {
      throw new AppError(
        'INVALID_STATE',
        'This ticket can no longer be transferred: it was cancelled, used or moved since it was sent.',
      );
    }
    if (ticket.ownerId === claimant.id) throw new AppError('INVALID_STATE', 'This ticket is already yours.');
    const [event] = await tx.select({ startsAt: events.startsAt }).from(events).where(eq(events.id, ticket.eventId));
    if (event!.startsAt <= now)
      throw new AppError('INVALID_STATE', 'The event has started; tickets can no longer be transferred.');

    const [voided] = await tx
      .update(tickets)
      .set({ status: 'void', voidReason: 'transferred', voidedAt: now })
      .where(and(eq(tickets.id, ticket.id), eq(tickets.status, 'valid')))
      .returning({ id: tickets.id });
    if (!voided)
      throw new AppError('CONFLICT', 'This ticket changed while you were claiming it. Reload and try again.');
    const [issued] = await tx
      .insert(tickets)
      .values({
        orderId: ticket.orderId,
        orderItemId: ticket.orderItemId,
        eventId: ticket.eventId,
        eventSeatId: ticket.eventSeatId,
        ownerId: claimant.id,
        nonce: newTicketNonce(),
        transferredFromId: ticket.id,
        issuedAt: now,
      })
      .returning({ id: tickets.id });
    const [claimed] = await tx
      .update(ticketTransfers)
      .set({ status: 'claimed', claimedTicketId: issued!.id, resolvedAt: now })
      .where(and(eq(ticketTransfers.id, transfer.id), eq(ticketTransfers.status, 'pending')))
      .returning({ id: ticketTransfers.id });
    if (!claimed)
      throw new AppError('CONFLICT', 'This transfer changed while you were claiming it. Reload and try again.');
    return { transferId: transfer.id, status: 'claimed' as const, ticketId: issued!.id };
  });
  log().info({ transferId: result.transferId, ticketId: result.ticketId }, 'ticket transfer claimed');
  return result;
}
