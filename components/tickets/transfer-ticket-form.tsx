'use client';

import { useRouter } from 'next/navigation';
import { useActionState, useEffect, useState } from 'react';
import { Button } from '@/components/ui/button';
import type { TransferFormState } from '@/app/tickets/[id]/actions';

type Props = { action: (state: TransferFormState, form: FormData) => Promise<TransferFormState> };

/** Send the ticket to a friend's account; this ticket's code stops working, theirs is new. */
export function TransferTicketForm({ action }: Props) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [state, formAction, pending] = useActionState(action, {});
  useEffect(() => {
    if (state.done) router.refresh();
  }, [state.done, router]);

  if (state.done) {
    return (
      <p role="status" className="rounded-lg bg-emerald-50 p-3 text-sm text-emerald-900">
        Sent to {state.done}. It is in their account now; this code no longer works.
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
  return (
    <form action={formAction} className="space-y-3" noValidate>
      <div>
        <label htmlFor="transfer-email" className="block text-sm font-medium text-slate-800">
          Their AdmitOne account email
        </label>
        <input
          id="transfer-email"
          name="email"
          type="email"
          autoComplete="off"
          required
          defaultValue={state.email}
          aria-invalid={Boolean(state.error)}
          aria-describedby={state.error ? 'transfer-error' : 'transfer-help'}
          className="mt-1 block min-h-11 w-full rounded-lg border border-slate-300 px-3 shadow-sm focus:border-brand-600 aria-[invalid=true]:border-red-600"
        />
        {state.error ? (
          <p id="transfer-error" role="alert" className="mt-1 text-sm text-red-700">
            {state.error}
          </p>
        ) : (
          <p id="transfer-help" className="mt-1 text-xs text-slate-600">
            The ticket moves to their account at once and gets a new code. You cannot undo this.
          </p>
        )}
      </div>
      <div className="flex gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? 'Sending…' : 'Send ticket'}
        </Button>
        <Button type="button" variant="ghost" onClick={() => setOpen(false)}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
