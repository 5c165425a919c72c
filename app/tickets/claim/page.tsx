import type { Metadata } from 'next';
import Link from 'next/link';
import { ClaimTransferForm } from '@/components/tickets/claim-transfer-form';
import { getDb } from '@/db/client';
import { requireViewerPage } from '@/lib/auth/page-guards';
import { claimTransferSchema } from '@/lib/contracts/checkout';
import { formatDateTime, seatPhrase } from '@/lib/format';
import { requestLocale } from '@/lib/locale.server';
import { previewTransfer } from '@/lib/tickets/list-pending-transfers';
import { hashClaimToken } from '@/lib/tickets/transfer-ticket';
import { claimTransferAction } from './actions';

export const metadata: Metadata = { title: 'Claim a ticket' };

type Props = { searchParams: Promise<{ token?: string }> };

/**
 * Where the transfer email's link lands. Signed out, it goes through sign-in (or sign-up) and back; signed in with
 * the address the ticket was sent to, it shows what is being given and a button to claim it. Any other account sees
 * the same "not for this account" page, whether or not the link is real.
 */
export default async function ClaimTicketPage({ searchParams }: Props) {
  const token = (await searchParams).token ?? '';
  const viewer = await requireViewerPage(`/tickets/claim?token=${encodeURIComponent(token)}`);
  const valid = claimTransferSchema.safeParse({ token }).success;
  const transfer = valid ? await previewTransfer(await getDb(), viewer, hashClaimToken(token)) : null;
  const locale = await requestLocale();
  return (
    <div className="mx-auto max-w-md px-4 py-10">
      <h1 className="text-2xl font-bold tracking-tight">Claim a ticket</h1>
      {transfer ? (
        <div className="mt-4 space-y-4 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
          <p>
            <strong>{transfer.fromName}</strong> is giving you a ticket:
          </p>
          <p>
            <span className="font-semibold">{transfer.eventName}</span>
            <span className="block text-sm text-slate-700">
              {formatDateTime(new Date(transfer.eventStartsAt), transfer.eventTimezone, locale)}
            </span>
            <span className="block text-sm text-slate-700">{seatPhrase(transfer)}</span>
          </p>
          <p className="text-sm text-slate-700">
            Claiming moves it to your account ({viewer.email}) with a new code; the sender’s code stops working.
          </p>
          <ClaimTransferForm action={claimTransferAction.bind(null, token)} />
        </div>
      ) : (
        <div className="mt-4 space-y-3 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
          <p>
            There is no ticket waiting for <strong>{viewer.email}</strong> at this link. It may have been claimed or
            cancelled already, or it was sent to another email address: sign out and sign in (or create an account) with
            that address.
          </p>
          <Link href="/tickets" className="font-semibold text-brand-700 underline">
            My tickets
          </Link>
        </div>
      )}
    </div>
  );
}
