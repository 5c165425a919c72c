'use client';

import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { requestJson } from '@/components/seat-map/api';
import { Button } from '@/components/ui/button';
import type { ResendResult } from '@/lib/admin/orders-desk-contract';
import type { CancelResult } from '@/lib/contracts/checkout';
import { formatMoney } from '@/lib/format';

type Action = 'refund' | 'cancel' | 'resend';
type Props = {
  orderId: string;
  reference: string;
  email: string;
  currency: string;
  /** What a full refund would give back (the order total less any refund already made). */
  fullRefundMinor: number;
  refundable: boolean;
  /** Cancelling under the event's policy; null when the policy or the tickets do not allow it. */
  cancellation: { refundMinor: number; percent: number } | null;
  paid: boolean;
  locale: string;
};

/**
 * The desk's three actions, each confirmed first. Money moves under an Idempotency-Key made when the confirmation
 * opens, so a double click or a retry after a lost answer refunds once. The outcome is said in words.
 */
export function OrderDeskActions({
  orderId,
  reference,
  email,
  currency,
  fullRefundMinor,
  refundable,
  cancellation,
  paid,
  locale,
}: Props) {
  const router = useRouter();
  const [confirming, setConfirming] = useState<Action | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const key = useRef('');
  const money = (minor: number) => formatMoney(minor, currency, locale);

  const open = (action: Action) => {
    key.current = crypto.randomUUID();
    setOutcome(null);
    setConfirming(action);
  };

  async function run(action: Action) {
    setBusy(true);
    try {
      if (action === 'resend') {
        const r = await requestJson<ResendResult>(`/api/admin/orders/${orderId}/resend`, { method: 'POST' });
        setOutcome({
          ok: true,
          text: r.sent
            ? `Confirmation sent again to ${r.toEmail}.`
            : `Confirmation queued for ${r.toEmail}; it goes out with the next delivery.`,
        });
      } else {
        const r = await requestJson<CancelResult>(`/api/admin/orders/${orderId}/${action}`, {
          method: 'POST',
          headers: { 'idempotency-key': key.current },
        });
        const refund = r.refund
          ? `${money(r.refund.amountMinor)} ${r.refund.status === 'succeeded' ? 'refunded' : 'refund on its way'}`
          : 'no refund due';
        setOutcome({
          ok: true,
          text: `Order ${reference} is ${r.status === 'refunded' ? 'cancelled and refunded' : r.status}: ${refund}. The tickets are void and the seats are back on sale.`,
        });
      }
      setConfirming(null);
      router.refresh();
    } catch (e) {
      setOutcome({
        ok: false,
        text: e instanceof Error ? e.message : 'That did not work. Try again: repeating is harmless.',
      });
    } finally {
      setBusy(false);
    }
  }

  const question: Record<Action, { title: string; text: string; go: string; variant: 'danger' | 'primary' }> = {
    refund: {
      title: `Refund ${reference} in full?`,
      text: `Every ticket becomes void, the seats go back on sale, and ${money(fullRefundMinor)} goes back to the buyer’s card whatever the event’s refund policy says.`,
      go: `Refund ${money(fullRefundMinor)}`,
      variant: 'danger',
    },
    cancel: {
      title: `Cancel ${reference} under the refund policy?`,
      text: cancellation
        ? `As if the buyer cancelled: the tickets become void, the seats go back on sale, and the policy refunds ${cancellation.percent}%: ${money(cancellation.refundMinor)}.`
        : '',
      go: cancellation ? `Cancel and refund ${money(cancellation.refundMinor)}` : 'Cancel',
      variant: 'danger',
    },
    resend: {
      title: 'Resend the confirmation?',
      text: `The order confirmation with the link to the tickets goes to ${email} again.`,
      go: 'Resend email',
      variant: 'primary',
    },
  };

  return (
    <div className="space-y-3">
      {!confirming && (
        <div className="flex flex-wrap gap-2">
          <Button variant="danger" disabled={!refundable} onClick={() => open('refund')}>
            Refund in full
          </Button>
          <Button variant="secondary" disabled={!cancellation} onClick={() => open('cancel')}>
            Cancel under policy
          </Button>
          <Button variant="secondary" disabled={!paid} onClick={() => open('resend')}>
            Resend confirmation
          </Button>
        </div>
      )}
      {!refundable && !confirming && (
        <p className="text-sm text-slate-600">
          Only paid orders can be refunded, cancelled or have their confirmation resent.
        </p>
      )}
      {refundable && !cancellation && !confirming && (
        <p className="text-sm text-slate-600">
          The event’s policy allows no cancellation now (or a ticket was used or transferred); a full refund is still
          possible.
        </p>
      )}
      {confirming && (
        <div
          role="alertdialog"
          aria-labelledby="desk-confirm-title"
          aria-describedby="desk-confirm-text"
          className={`rounded-lg p-4 ring-1 ${question[confirming].variant === 'danger' ? 'bg-red-50 ring-red-200' : 'bg-brand-50 ring-brand-100'}`}
        >
          <p id="desk-confirm-title" className="font-semibold">
            {question[confirming].title}
          </p>
          <p id="desk-confirm-text" className="mt-1 text-sm">
            {question[confirming].text}
          </p>
          <div className="mt-3 flex flex-wrap gap-2">
            <Button variant={question[confirming].variant} disabled={busy} onClick={() => void run(confirming)}>
              {busy ? 'Working…' : question[confirming].go}
            </Button>
            <Button variant="secondary" disabled={busy} onClick={() => setConfirming(null)}>
              Go back
            </Button>
          </div>
        </div>
      )}
      {outcome && (
        <p
          role={outcome.ok ? 'status' : 'alert'}
          className={`rounded-lg p-3 text-sm font-semibold ${outcome.ok ? 'bg-emerald-50 text-emerald-900' : 'bg-red-50 text-red-900'}`}
        >
          {outcome.text}
        </p>
      )}
    </div>
  );
}
