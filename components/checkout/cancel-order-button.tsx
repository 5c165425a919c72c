'use client';

import { useRouter } from 'next/navigation';
import { useRef, useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import type { CancelResult } from '@/lib/contracts/checkout';
import type { ActionResult } from '@/lib/contracts/action-result';

type Props = {
  orderId: string;
  refundLabel: string;
  percent: number;
  ticketCount: number;
  cancel: (orderId: string) => Promise<ActionResult<CancelResult>>;
};

/** Asks once more before cancelling: the tickets stop working and the seats go back on sale. */
export function CancelOrderButton({ orderId, refundLabel, percent, ticketCount, cancel }: Props) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const keepRef = useRef<HTMLButtonElement>(null);

  if (!confirming) {
    return (
      <Button
        variant="secondary"
        onClick={() => {
          setConfirming(true);
          setTimeout(() => keepRef.current?.focus(), 0);
        }}
      >
        Cancel order
      </Button>
    );
  }
  return (
    <div
      role="alertdialog"
      aria-labelledby="cancel-title"
      aria-describedby="cancel-text"
      className="rounded-lg bg-red-50 p-4 ring-1 ring-red-200"
    >
      <p id="cancel-title" className="font-semibold text-red-900">
        Cancel this order?
      </p>
      <p id="cancel-text" className="mt-1 text-sm text-red-900">
        {ticketCount === 1 ? 'The ticket stops working' : `All ${ticketCount} tickets stop working`} and the seats go
        back on sale. You get {refundLabel} back
        {percent < 100 ? ` (${percent}% under the event’s policy)` : ''}.
      </p>
      {error && (
        <p role="alert" className="mt-2 text-sm font-semibold text-red-900">
          {error}
        </p>
      )}
      <div className="mt-3 flex flex-wrap gap-2">
        <Button
          variant="danger"
          disabled={pending}
          onClick={() =>
            start(async () => {
              const answer = await cancel(orderId).catch(() => null);
              if (!answer) setError('We could not reach AdmitOne. Try again: cancelling twice is harmless.');
              else if (!answer.ok) setError(answer.problem.detail);
              else {
                setConfirming(false);
                router.refresh();
              }
            })
          }
        >
          {pending ? 'Cancelling…' : `Yes, cancel and refund ${refundLabel}`}
        </Button>
        <Button ref={keepRef} variant="secondary" disabled={pending} onClick={() => setConfirming(false)}>
          Keep my tickets
        </Button>
      </div>
    </div>
  );
}
