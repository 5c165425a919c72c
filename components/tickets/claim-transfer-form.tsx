'use client';

import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import type { ClaimState } from '@/lib/contracts/ticket-forms';

/** "Claim ticket": on success the action goes to the new ticket; a refusal is said here. */
export function ClaimTransferForm({ action }: { action: (state: ClaimState, form: FormData) => Promise<ClaimState> }) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form action={formAction} className="space-y-2">
      {state.error && (
        <p role="alert" className="text-sm text-red-700">
          {state.error}
        </p>
      )}
      <Button type="submit" disabled={pending}>
        {pending ? 'Claiming…' : 'Claim ticket'}
      </Button>
    </form>
  );
}
