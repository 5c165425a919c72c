'use client';

import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { actionError, type ActionResult } from '@/lib/contracts/action-result';

/** "Claim ticket": on success the action goes to the new ticket; a refusal is said here. */
export function ClaimTransferForm({
  action,
}: {
  action: (state: ActionResult<never> | null, form: FormData) => Promise<ActionResult<never>>;
}) {
  const [state, formAction, pending] = useActionState(action, null);
  const error = actionError(state);
  return (
    <form action={formAction} className="space-y-2">
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
      <Button type="submit" disabled={pending}>
        {pending ? 'Claiming…' : 'Claim ticket'}
      </Button>
    </form>
  );
}
