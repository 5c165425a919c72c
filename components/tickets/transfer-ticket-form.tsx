'use client';

import { useRouter } from 'next/navigation';
import { useActionState, useEffect, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { actionError, type ActionResult } from '@/lib/contracts/action-result';
import type { TransferResult } from '@/lib/contracts/checkout';

type Props = {
  action: (state: ActionResult<TransferResult> | null, form: FormData) => Promise<ActionResult<TransferResult>>;
  /** What moves, as the confirmation step shows it: "Hamlet, Sat 5 Dec 2026 · Stalls, row C, seat 7". */
  ticketLabel: string;
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Give the ticket to someone by email, in two steps: who, then a confirmation that shows the recipient and what
 * moves. Nothing moves when it is sent: they get a link, and the ticket stays yours (its code working) until they
 * claim it signed in with that email; you can cancel until then.
 */
export function TransferTicketForm({ action, ticketLabel }: Props) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [email, setEmail] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [invalid, setInvalid] = useState<string | null>(null);
  const [state, formAction, pending] = useActionState(action, null);
  const sentTo = state?.ok ? state.value.toEmail : null;
  const refused = actionError(state, 'email');
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (sentTo) router.refresh();
  }, [sentTo, router]);
  useEffect(() => {
    if (confirming) heading.current?.focus();
  }, [confirming]);

  if (sentTo) {
    return (
      <p role="status" className="rounded-lg bg-emerald-50 p-3 text-sm text-emerald-900">
        Sent to {sentTo}. They get an email with a link to claim the ticket. Until they do, it stays yours and its code
        works; you can cancel the transfer here.
      </p>
    );
  }
  if (!open) {
    return (
      <Button variant="secondary" onClick={() => setOpen(true)}>
        Transfer to a friend
      </Button>
    );
  }
  if (confirming) {
    return (
      <form action={formAction} className="space-y-3 rounded-xl bg-white p-4 ring-1 ring-slate-200">
        <h2 ref={heading} tabIndex={-1} className="text-lg font-bold">
          Send this ticket?
        </h2>
        <dl className="space-y-1 text-sm">
          <div>
            <dt className="inline font-medium text-slate-700">To: </dt>
            <dd className="inline font-semibold">{email}</dd>
          </div>
          <div>
            <dt className="inline font-medium text-slate-700">Ticket: </dt>
            <dd className="inline">{ticketLabel}</dd>
          </div>
        </dl>
        <p className="text-sm text-slate-700">
          They get an email with a link. When they claim it, signed in with this email, the ticket becomes theirs with a
          new code and yours stops working. Until then you can cancel.
        </p>
        {refused && (
          <p role="alert" className="text-sm text-red-700">
            {refused}
          </p>
        )}
        <input type="hidden" name="email" value={email} />
        <div className="flex gap-2">
          <Button type="submit" disabled={pending}>
            {pending ? 'Sending…' : `Send to ${email}`}
          </Button>
          <Button type="button" variant="ghost" onClick={() => setConfirming(false)}>
            Back
          </Button>
        </div>
      </form>
    );
  }
  const error = invalid ?? refused;
  return (
    <form
      className="space-y-3"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const value = email.trim().toLowerCase();
        if (!EMAIL.test(value)) {
          setInvalid('Enter the email address of the person you are giving the ticket to.');
          return;
        }
        setInvalid(null);
        setEmail(value);
        setConfirming(true);
      }}
    >
      <div>
        <label htmlFor="transfer-email" className="block text-sm font-medium text-slate-800">
          Their email address
        </label>
        <input
          id="transfer-email"
          name="email"
          type="email"
          autoComplete="off"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          aria-invalid={Boolean(error)}
          aria-describedby={error ? 'transfer-error' : 'transfer-help'}
          className="mt-1 block min-h-11 w-full rounded-lg border border-slate-300 px-3 shadow-sm focus:border-brand-600 aria-[invalid=true]:border-red-600"
        />
        {error ? (
          <p id="transfer-error" role="alert" className="mt-1 text-sm text-red-700">
            {error}
          </p>
        ) : (
          <p id="transfer-help" className="mt-1 text-xs text-slate-600">
            They need not have an account yet: they can create one with this email to claim the ticket.
          </p>
        )}
      </div>
      <div className="flex gap-2">
        <Button type="submit">Review transfer</Button>
        <Button type="button" variant="ghost" onClick={() => setOpen(false)}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

/** A transfer on its way: to whom, and a way to take it back. */
export function PendingTransferNotice({
  toEmail,
  action,
}: {
  toEmail: string;
  action: (state: ActionResult<void> | null, form: FormData) => Promise<ActionResult<void>>;
}) {
  const router = useRouter();
  const [state, formAction, pending] = useActionState(action, null);
  const done = state?.ok === true;
  const error = actionError(state);
  useEffect(() => {
    if (done) router.refresh();
  }, [done, router]);
  if (done) {
    return (
      <p role="status" className="rounded-lg bg-slate-100 p-3 text-sm text-slate-800">
        Transfer cancelled. The ticket is yours.
      </p>
    );
  }
  return (
    <form
      action={formAction}
      className="space-y-2 rounded-xl bg-amber-50 p-4 text-sm text-amber-950 ring-1 ring-amber-200"
    >
      <p role="status">
        On its way to <strong>{toEmail}</strong>: waiting for them to claim it from the email. Until then the ticket is
        yours and its code works.
      </p>
      {error && (
        <p role="alert" className="text-red-800">
          {error}
        </p>
      )}
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? 'Cancelling…' : 'Cancel transfer'}
      </Button>
    </form>
  );
}
