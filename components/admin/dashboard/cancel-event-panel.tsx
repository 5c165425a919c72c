'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { requestJson } from '@/components/seat-map/api';
import { Button } from '@/components/ui/button';
import { sameEventName } from '@/lib/admin/cancel-event-contract';
import type { CancelProgress } from '@/lib/admin/dashboard-types';
import { formatMoney, noun } from '@/lib/format';
import { formatCount } from './format';

type Props = {
  eventId: string;
  eventName: string;
  cancelled: boolean;
  paidOrders: number;
  currency: string;
  locale: string;
  initialProgress: CancelProgress | null;
};

/**
 * The danger zone: cancelling asks for the event's name, then shows the refunds as they happen. The work runs on the
 * server in passes (this request, then the background job); the panel polls the progress and can start another
 * pass itself, which is always harmless.
 */
export function CancelEventPanel({
  eventId,
  eventName,
  cancelled,
  paidOrders,
  currency,
  locale,
  initialProgress,
}: Props) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [started, setStarted] = useState(cancelled);
  const key = useRef<string>('');
  const inputId = useId();

  const progress = useQuery({
    queryKey: ['admin', 'events', eventId, 'cancel'],
    queryFn: () => requestJson<CancelProgress>(`/api/admin/events/${eventId}/cancel`),
    enabled: started,
    initialData: initialProgress ?? undefined,
    refetchInterval: (q) => (q.state.data?.done ? false : 2_000),
  });

  async function submit(confirmName: string) {
    setBusy(true);
    setError(null);
    try {
      const answer = await requestJson<CancelProgress>(`/api/admin/events/${eventId}/cancel`, {
        method: 'POST',
        body: JSON.stringify({ confirmName }),
        headers: { 'idempotency-key': key.current || crypto.randomUUID() },
      });
      queryClient.setQueryData(['admin', 'events', eventId, 'cancel'], answer);
      setStarted(true);
      setConfirming(false);
      void queryClient.invalidateQueries({ queryKey: ['admin', 'events', eventId, 'stats'] });
    } catch (e) {
      setError(e instanceof Error ? e.message : 'The event could not be cancelled. Try again: repeating is harmless.');
    } finally {
      key.current = '';
      setBusy(false);
    }
  }

  if (started && progress.data) {
    const p = progress.data;
    const share = p.total ? p.processed / p.total : 1;
    return (
      <div className="space-y-3">
        <p className="font-semibold text-red-900">
          This event is cancelled. Sales are stopped and the waiting room is closed.
        </p>
        <div>
          <div className="flex justify-between text-sm">
            <span>
              {formatCount(p.processed, locale)} of {formatCount(p.total, locale)} paid orders cancelled and refunded
            </span>
            <span className="tabular-nums">{Math.round(share * 100)}%</span>
          </div>
          <div
            className="mt-1 h-2.5 overflow-hidden rounded-full bg-slate-200"
            role="progressbar"
            aria-label="Orders refunded"
            aria-valuemin={0}
            aria-valuemax={p.total}
            aria-valuenow={p.processed}
          >
            <div className="h-full bg-red-600 transition-all" style={{ width: `${share * 100}%` }} />
          </div>
        </div>
        <ul className="grid gap-1 text-sm text-slate-700 sm:grid-cols-2">
          <li>
            Refunds paid out: {formatCount(p.refunds.succeeded, locale)} (
            {formatMoney(p.refunds.refundedMinor, currency, locale)})
          </li>
          <li>Refunds waiting for the payment provider: {formatCount(p.refunds.pending, locale)}</li>
          {p.refunds.failed > 0 && (
            <li className="font-semibold text-red-900">
              Refunds the provider refused: {formatCount(p.refunds.failed, locale)} (see the orders desk)
            </li>
          )}
          {p.paymentsInFlight > 0 && (
            <li>
              Payments still in flight: {formatCount(p.paymentsInFlight, locale)} (refunded as soon as they complete)
            </li>
          )}
        </ul>
        <p role="status" className="text-sm font-semibold">
          {p.done
            ? 'Done: every paid order is cancelled, its tickets are void and its money is on the way back.'
            : 'Refunding… this continues in the background if you leave the page.'}
        </p>
        {!p.done && (
          <Button variant="secondary" disabled={busy} onClick={() => void submit(eventName)}>
            {busy ? 'Working…' : 'Continue refunding now'}
          </Button>
        )}
        {error && (
          <p role="alert" className="text-sm font-semibold text-red-900">
            {error}
          </p>
        )}
      </div>
    );
  }

  if (!confirming) {
    return (
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-slate-700">
          Cancelling stops the sale at once and refunds all {formatCount(paidOrders, locale)} paid{' '}
          {noun(paidOrders, 'order', 'orders', locale)} in full. It cannot be undone.
        </p>
        <Button
          variant="danger"
          onClick={() => {
            key.current = crypto.randomUUID();
            setConfirming(true);
          }}
        >
          Cancel event…
        </Button>
      </div>
    );
  }

  const matches = sameEventName(typed, eventName);
  return (
    <form
      role="alertdialog"
      aria-labelledby="cancel-event-title"
      aria-describedby="cancel-event-text"
      className="rounded-lg bg-red-50 p-4 ring-1 ring-red-200"
      onSubmit={(e) => {
        e.preventDefault();
        if (matches) void submit(typed);
      }}
    >
      <p id="cancel-event-title" className="font-semibold text-red-900">
        Cancel “{eventName}”?
      </p>
      <p id="cancel-event-text" className="mt-1 text-sm text-red-900">
        Holds and the waiting room stop at once, every ticket becomes void, and {formatCount(paidOrders, locale)} paid{' '}
        {noun(paidOrders, 'order is', 'orders are', locale)} refunded in full. Buyers get an email. This cannot be
        undone.
      </p>
      <label htmlFor={inputId} className="mt-3 block text-sm font-semibold text-red-900">
        Type the event name to confirm
      </label>
      <input
        id={inputId}
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
        autoComplete="off"
        autoFocus
        className="mt-1 block min-h-11 w-full rounded-lg border border-red-300 bg-white px-3 text-base"
        placeholder={eventName}
      />
      {error && (
        <p role="alert" className="mt-2 text-sm font-semibold text-red-900">
          {error}
        </p>
      )}
      <div className="mt-3 flex flex-wrap gap-2">
        <Button type="submit" variant="danger" disabled={!matches || busy}>
          {busy ? 'Cancelling…' : 'Cancel the event and refund everyone'}
        </Button>
        <Button type="button" variant="secondary" disabled={busy} onClick={() => setConfirming(false)}>
          Keep it on sale
        </Button>
      </div>
    </form>
  );
}
