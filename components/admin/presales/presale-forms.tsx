'use client';

import { useRouter } from 'next/navigation';
import { useActionState, useEffect, useRef } from 'react';
import { Button } from '@/components/ui/button';
import { actionError, type ActionResult } from '@/lib/contracts/action-result';
import { toWallTime } from '@/lib/contracts/time-zone';

type Action<T> = (state: ActionResult<T> | null, form: FormData) => Promise<ActionResult<T>>;

const inputClass =
  'mt-1 block min-h-11 w-full rounded-lg border border-slate-300 px-3 shadow-sm focus:border-brand-600 aria-[invalid=true]:border-red-600';

/** Refreshes the page's lists after a success and empties the form. */
function useDone<T>(state: ActionResult<T> | null, form: React.RefObject<HTMLFormElement | null>) {
  const router = useRouter();
  useEffect(() => {
    if (state?.ok) {
      form.current?.reset();
      router.refresh();
    }
  }, [state, router, form]);
}

function Field({
  id,
  label,
  error,
  children,
  help,
}: {
  id: string;
  label: string;
  error?: string;
  help?: string;
  children: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => React.ReactNode;
}) {
  const described = error ? `${id}-error` : help ? `${id}-help` : undefined;
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {children({ id, 'aria-invalid': Boolean(error), 'aria-describedby': described })}
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      ) : (
        help && (
          <p id={`${id}-help`} className="mt-1 text-xs text-slate-600">
            {help}
          </p>
        )
      )}
    </div>
  );
}

/** A presale window: name, start and end in the event's time zone, and its line's admission rate. */
export function NewPresaleForm({ action, timeZone }: { action: Action<{ id: string }>; timeZone: string }) {
  const [state, formAction, pending] = useActionState(action, null);
  const form = useRef<HTMLFormElement>(null);
  useDone(state, form);
  const err = (f: string) => (state && !state.ok ? state.fieldErrors?.[f] : undefined);
  // A refused form is reset to these: what was sent, times back in the event's zone.
  const sent = state && !state.ok ? state.values : undefined;
  const wall = (iso?: string) => {
    const date = iso ? new Date(iso) : null;
    return date && !Number.isNaN(date.getTime()) ? toWallTime(date, timeZone) : undefined;
  };
  return (
    <form ref={form} action={formAction} className="grid gap-3 sm:grid-cols-2" noValidate>
      <Field id="presale-name" label="Name" error={err('name')} help="Shown to code holders, e.g. Fan club presale">
        {(p) => <input {...p} name="name" required maxLength={80} defaultValue={sent?.name} className={inputClass} />}
      </Field>
      <Field
        id="presale-rate"
        label="Admissions per minute"
        error={err('admissionRatePerMinute')}
        help="This presale's own line admits at this rate"
      >
        {(p) => (
          <input
            {...p}
            name="admissionRatePerMinute"
            type="number"
            min={1}
            defaultValue={sent?.admissionRatePerMinute ?? 60}
            className={inputClass}
          />
        )}
      </Field>
      <Field id="presale-starts" label={`Starts (${timeZone})`} error={err('startsAt')}>
        {(p) => (
          <input
            {...p}
            name="startsAt"
            type="datetime-local"
            required
            defaultValue={wall(sent?.startsAt)}
            className={inputClass}
          />
        )}
      </Field>
      <Field id="presale-ends" label={`Ends (${timeZone})`} error={err('endsAt')}>
        {(p) => (
          <input
            {...p}
            name="endsAt"
            type="datetime-local"
            required
            defaultValue={wall(sent?.endsAt)}
            className={inputClass}
          />
        )}
      </Field>
      <div className="sm:col-span-2">
        {state && !state.ok && !state.fieldErrors && (
          <p role="alert" className="mb-2 text-sm text-red-700">
            {actionError(state)}
          </p>
        )}
        <Button type="submit" disabled={pending}>
          {pending ? 'Adding…' : 'Add presale'}
        </Button>
      </div>
    </form>
  );
}

/** A presale code: what it unlocks (a presale, hidden tiers), how many accounts may use it, seats per account. */
export function NewAccessCodeForm({
  action,
  presales,
  hiddenTiers,
}: {
  action: Action<{ id: string }>;
  presales: { id: string; name: string }[];
  hiddenTiers: { id: string; name: string }[];
}) {
  const [state, formAction, pending] = useActionState(action, null);
  const form = useRef<HTMLFormElement>(null);
  useDone(state, form);
  const err = (f: string) => (state && !state.ok ? state.fieldErrors?.[f] : undefined);
  const sent = state && !state.ok ? state.values : undefined;
  return (
    <form ref={form} action={formAction} className="grid gap-3 sm:grid-cols-2" noValidate>
      <Field id="code-code" label="Code" error={err('code')} help="4 to 32 letters, digits or dashes">
        {(p) => (
          <input
            {...p}
            name="code"
            required
            maxLength={32}
            defaultValue={sent?.code}
            className={`${inputClass} uppercase`}
          />
        )}
      </Field>
      <Field id="code-presale" label="Unlocks the presale" error={err('presaleId')}>
        {(p) => (
          <select {...p} name="presaleId" className={inputClass} defaultValue={presales[0]?.id ?? ''}>
            <option value="">No presale (hidden tiers only)</option>
            {presales.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="code-uses" label="Accounts that may use it" error={err('maxUses')}>
        {(p) => (
          <input
            {...p}
            name="maxUses"
            type="number"
            min={1}
            required
            defaultValue={sent?.maxUses ?? 100}
            className={inputClass}
          />
        )}
      </Field>
      <Field id="code-per-account" label="Seats per account" error={err('perAccountLimit')}>
        {(p) => (
          <input
            {...p}
            name="perAccountLimit"
            type="number"
            min={1}
            max={50}
            defaultValue={sent?.perAccountLimit ?? 4}
            className={inputClass}
          />
        )}
      </Field>
      <fieldset className="sm:col-span-2">
        <legend className="text-sm font-medium text-slate-800">Unlocks hidden tiers</legend>
        {hiddenTiers.length === 0 ? (
          <p className="mt-1 text-sm text-slate-600">No tier is hidden. Hide one below to sell it by code only.</p>
        ) : (
          <div className="mt-1 flex flex-wrap gap-4">
            {hiddenTiers.map((t) => (
              <label key={t.id} className="flex min-h-11 items-center gap-2 text-sm">
                <input type="checkbox" name="unlocksTierIds" value={t.id} className="h-5 w-5" />
                {t.name}
              </label>
            ))}
          </div>
        )}
        {err('unlocksTierIds') && <p className="mt-1 text-sm text-red-700">{err('unlocksTierIds')}</p>}
      </fieldset>
      <div className="sm:col-span-2">
        {state && !state.ok && !state.fieldErrors && (
          <p role="alert" className="mb-2 text-sm text-red-700">
            {actionError(state)}
          </p>
        )}
        <Button type="submit" disabled={pending}>
          {pending ? 'Creating…' : 'Create code'}
        </Button>
      </div>
    </form>
  );
}

/** Hide a tier (sold by code only) or show it to everyone. */
export function TierVisibilityButton({
  action,
  hidden,
  name,
}: {
  action: Action<void>;
  hidden: boolean;
  name: string;
}) {
  const [state, formAction, pending] = useActionState(action, null);
  const router = useRouter();
  useEffect(() => {
    if (state?.ok) router.refresh();
  }, [state, router]);
  return (
    <form action={formAction}>
      <Button type="submit" variant="secondary" disabled={pending} aria-label={`${hidden ? 'Show' : 'Hide'} ${name}`}>
        {hidden ? 'Show to everyone' : 'Hide (code only)'}
      </Button>
      {state && !state.ok && (
        <p role="alert" className="mt-1 text-sm text-red-700">
          {actionError(state)}
        </p>
      )}
    </form>
  );
}
