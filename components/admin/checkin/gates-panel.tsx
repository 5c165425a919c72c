'use client';

import { useRouter } from 'next/navigation';
import { useActionState, useEffect, useTransition } from 'react';
import { Card } from '@/components/admin/card';
import { inputClass } from '@/components/admin/form-field';
import { Button } from '@/components/ui/button';
import { actionError, type ActionResult } from '@/lib/contracts/action-result';

/** The event's gates: add one by name, remove one (its paired phones stop working with it). */
export function GatesPanel({
  gates,
  createGate,
  deleteGate,
}: {
  gates: { id: string; name: string }[];
  createGate: (
    previous: ActionResult<{ id: string; name: string }> | null,
    form: FormData,
  ) => Promise<ActionResult<{ id: string; name: string }>>;
  deleteGate: (gateId: string) => Promise<ActionResult<void>>;
}) {
  const router = useRouter();
  const [state, formAction, pending] = useActionState(createGate, null);
  const [removing, startRemoving] = useTransition();
  useEffect(() => {
    if (state?.ok) router.refresh();
  }, [state, router]);
  const error = actionError(state, 'name');
  return (
    <Card title="Gates">
      {gates.length === 0 ? (
        <p className="text-slate-700">No gates yet: add the first one, as the door staff call it.</p>
      ) : (
        <ul className="divide-y divide-slate-200" aria-label="Gates">
          {gates.map((g) => (
            <li key={g.id} className="flex items-center justify-between py-2">
              <span className="font-medium">{g.name}</span>
              <Button
                variant="ghost"
                disabled={removing}
                aria-label={`Remove ${g.name}`}
                onClick={() => {
                  if (!window.confirm(`Remove ${g.name}? Phones paired to it stop scanning.`)) return;
                  startRemoving(async () => {
                    await deleteGate(g.id);
                    router.refresh();
                  });
                }}
              >
                Remove
              </Button>
            </li>
          ))}
        </ul>
      )}
      <form action={formAction} className="mt-4 flex items-end gap-2" aria-label="Add a gate">
        <label className="block flex-1 text-sm font-medium" htmlFor="gate-name">
          New gate
          <input
            id="gate-name"
            name="name"
            required
            maxLength={40}
            placeholder="North gate"
            aria-invalid={Boolean(error)}
            aria-describedby={error ? 'gate-name-error' : undefined}
            className={inputClass(Boolean(error))}
          />
        </label>
        <Button type="submit" disabled={pending}>
          Add gate
        </Button>
      </form>
      {error ? (
        <p id="gate-name-error" className="mt-1 text-sm text-red-700" role="alert">
          {error}
        </p>
      ) : null}
    </Card>
  );
}
