'use server';

import { redirect } from 'next/navigation';
import { checkoutDeps } from '@/lib/checkout/deps';
import type { ActionResult } from '@/lib/contracts/action-result';
import { claimTransferSchema } from '@/lib/contracts/checkout';
import { action } from '@/lib/http/action';
import { clientIp } from '@/lib/ratelimit/client-ip';
import { claimTransfer } from '@/lib/tickets/claim-transfer';

const claim = action(
  'transfers.claim',
  { auth: 'viewer', input: claimTransferSchema },
  async ({ viewer, input, headers }) => {
    const { ticketId } = await claimTransfer(await checkoutDeps(), viewer, input.token, { ip: clientIp(headers) });
    redirect(`/tickets/${ticketId}`);
  },
);

/** The claim page's button: the link's secret and the signed-in account together take the ticket, then show it. */
export async function claimTransferAction(
  token: string,
  _previous: ActionResult<never> | null,
  _form: FormData,
): Promise<ActionResult<never>> {
  return claim({ token });
}
