'use server';

import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { requireViewer } from '@/lib/auth/viewer';
import { checkoutDeps } from '@/lib/checkout/deps';
import { claimTransferSchema } from '@/lib/contracts/checkout';
import type { ClaimState } from '@/lib/contracts/ticket-forms';
import { AppError, isAppError } from '@/lib/errors';
import { log } from '@/lib/observability/log';
import { clientIp } from '@/lib/ratelimit/client-ip';
import { claimTransfer } from '@/lib/tickets/claim-transfer';

/** The claim page's button: the link's secret and the signed-in account together take the ticket. */
export async function claimTransferAction(token: string, _previous: ClaimState, _form: FormData): Promise<ClaimState> {
  const parsed = claimTransferSchema.safeParse({ token });
  if (!parsed.success) return { error: 'This link is not complete. Open it again from the email.' };
  let ticketId: string;
  try {
    const incoming = await headers();
    const viewer = await requireViewer(incoming);
    ({ ticketId } = await claimTransfer(await checkoutDeps(), viewer, parsed.data.token, { ip: clientIp(incoming) }));
  } catch (error) {
    if (isAppError(error)) return { error: error.message };
    log().error({ err: error }, 'claim transfer action failed');
    return { error: new AppError('INTERNAL').message };
  }
  redirect(`/tickets/${ticketId}`);
}
