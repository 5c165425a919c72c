'use server';

import { checkoutDeps } from '@/lib/checkout/deps';
import type { ActionResult } from '@/lib/contracts/action-result';
import { cancelTransferActionSchema, transferActionSchema, type TransferResult } from '@/lib/contracts/checkout';
import { action } from '@/lib/http/action';
import { clientIp } from '@/lib/ratelimit/client-ip';
import { cancelTransfer } from '@/lib/tickets/cancel-transfer';
import { transferTicket } from '@/lib/tickets/transfer-ticket';

const transfer = action(
  'tickets.transfer',
  { auth: 'viewer', input: transferActionSchema },
  async ({ viewer, input: { ticketId, email }, headers }) =>
    transferTicket(await checkoutDeps(), viewer, ticketId, { email }, { ip: clientIp(headers) }),
);

const takeBack = action(
  'tickets.transfer-cancel',
  { auth: 'viewer', input: cancelTransferActionSchema },
  async ({ viewer, input }) => {
    await cancelTransfer(await checkoutDeps(), viewer, input.transferId);
  },
);

/**
 * The ticket page's transfer form, after its confirmation step (the same as POST /api/tickets/{id}/transfer): the
 * ticket is offered to that address, and stays the sender's until claimed.
 */
export async function transferTicketAction(
  ticketId: string,
  _previous: ActionResult<TransferResult> | null,
  form: FormData,
): Promise<ActionResult<TransferResult>> {
  return transfer({ ticketId, email: form.get('email') });
}

/** The sender takes back a transfer nobody has claimed yet. */
export async function cancelTransferAction(
  transferId: string,
  _previous: ActionResult<void> | null,
  _form: FormData,
): Promise<ActionResult<void>> {
  return takeBack({ transferId });
}
