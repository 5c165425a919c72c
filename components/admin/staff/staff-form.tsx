'use client';

import { useRouter } from 'next/navigation';
import { useActionState, useEffect } from 'react';
import { inputClass } from '@/components/admin/form-field';
import { Button } from '@/components/ui/button';
import { actionError, type ActionResult } from '@/lib/contracts/action-result';

type Changed = { email: string; role: string; changed: boolean };

const ROLE_LABEL: Record<string, string> = { door: 'door staff', box_office: 'box office', customer: 'customer' };

/** Grant or remove a staff role by email. The account must exist; its sessions are signed out so the change holds now. */
export function StaffForm({
  action,
}: {
  action: (previous: ActionResult<Changed> | null, form: FormData) => Promise<ActionResult<Changed>>;
}) {
  const router = useRouter();
  const [state, formAction, pending] = useActionState(action, null);
  useEffect(() => {
    if (state?.ok) router.refresh();
  }, [state, router]);
  const error = actionError(state, 'email');
  return (
    <form
      action={formAction}
      className="grid gap-3 sm:grid-cols-[2fr_1fr_auto_auto] sm:items-end"
      aria-label="Staff role"
    >
      <label className="block text-sm font-medium" htmlFor="staff-email">
        Email
        <input
          id="staff-email"
          name="email"
          type="email"
          required
          defaultValue={state && !state.ok ? state.values?.email : undefined}
          aria-invalid={Boolean(error)}
          aria-describedby="staff-result"
          className={inputClass(Boolean(error))}
        />
      </label>
      <div>
        <label className="block text-sm font-medium" htmlFor="staff-role">
          Role
        </label>
        <select id="staff-role" name="role" className={inputClass(false)}>
          <option value="door">Door staff (scan tickets)</option>
          <option value="box_office">Box office (counter sales)</option>
        </select>
      </div>
      <Button type="submit" name="intent" value="grant" disabled={pending}>
        Grant
      </Button>
      <Button type="submit" name="intent" value="remove" variant="secondary" disabled={pending}>
        Remove
      </Button>
      <p id="staff-result" className="sm:col-span-4 text-sm" role="status">
        {error ? (
          <span className="text-red-700">{error}</span>
        ) : state?.ok ? (
          state.value.changed ? (
            `${state.value.email} is now ${ROLE_LABEL[state.value.role] ?? state.value.role}; their sessions were signed out.`
          ) : (
            `Nothing to change for ${state.value.email}.`
          )
        ) : null}
      </p>
    </form>
  );
}
