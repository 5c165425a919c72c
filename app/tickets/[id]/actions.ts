'use server';

import { headers } from 'next/headers';
import { requireViewer } from '@/lib/auth/viewer';
import { checkoutDeps } from '@/lib/checkout/deps';
import { transferRequestSchema } from '@/lib/contracts/checkout';
import { AppError, isAppError } from '@/lib/errors';
import { log } from '@/lib/observability/log';
import { transferTicket } from '@/lib/tickets/transfer-ticket';

export type TransferFormState = { error?: string; done?: string; email?: string };

/** The ticket page's transfer form (the same as POST /api/tickets/{id}/transfer). */
export async function transferTicketAction(ticketId: string, _previous: TransferFormState, form: FormData): Promise<TransferFormState> {
  const email = String(form.get('email') ?? '');
  const parsed = transferRequestSchema.safeParse({ email });
  if (!parsed.success) return { error: 'Enter the email address of their AdmitOne account.', email };
  try {
    const viewer = await requireViewer(await headers());
    const result = await transferTicket(await checkoutDeps(), viewer, ticketId, parsed.data);
    return { done: result.toEmail };
  } catch (error) {
    if (isAppError(error)) return { error: error.message, email };
    log().error({ err: error, ticketId }, 'transfer action failed');
    return { error: new AppError('INTERNAL').message, email };
  }
}
