'use server';

import { headers } from 'next/headers';
import { requireViewer } from '@/lib/auth/viewer';
import { checkoutDeps } from '@/lib/checkout/deps';
import { transferRequestSchema } from '@/lib/contracts/checkout';
import type { CancelTransferState, TransferFormState } from '@/lib/contracts/ticket-forms';
import { AppError, isAppError } from '@/lib/errors';
import { log } from '@/lib/observability/log';
import { clientIp } from '@/lib/ratelimit/client-ip';
import { cancelTransfer } from '@/lib/tickets/cancel-transfer';
import { transferTicket } from '@/lib/tickets/transfer-ticket';

/**
 * The ticket page's transfer form, after its confirmation step (the same as POST /api/tickets/{id}/transfer): the
 * ticket is offered to that address, and stays the sender's until claimed.
 */
export async function transferTicketAction(ticketId: string, _previous: TransferFormState, form: FormData): Promise<TransferFormState> {
  const email = String(form.get('email') ?? '');
  const parsed = transferRequestSchema.safeParse({ email });
  if (!parsed.success) return { error: 'Enter the email address of the person you are giving the ticket to.', email };
  try {
    const incoming = await headers();
    const viewer = await requireViewer(incoming);
    const result = await transferTicket(await checkoutDeps(), viewer, ticketId, parsed.data, { ip: clientIp(incoming) });
    return { done: result.toEmail };
  } catch (error) {
    if (isAppError(error)) return { error: error.message, email };
    log().error({ err: error, ticketId }, 'transfer action failed');
    return { error: new AppError('INTERNAL').message, email };
  }
}

/** The sender takes back a transfer nobody has claimed yet. */
export async function cancelTransferAction(transferId: string, _previous: CancelTransferState, _form: FormData): Promise<CancelTransferState> {
  try {
    const viewer = await requireViewer(await headers());
    await cancelTransfer(await checkoutDeps(), viewer, transferId);
    return { done: true };
  } catch (error) {
    if (isAppError(error)) return { error: error.message };
    log().error({ err: error, transferId }, 'cancel transfer action failed');
    return { error: new AppError('INTERNAL').message };
  }
}
