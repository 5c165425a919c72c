'use client';

import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { actionError, type ActionResult } from '@/lib/contracts/action-result';
import type { RedemptionResult } from '@/lib/contracts/presale';
import { formatDateTime, formatMoney } from '@/lib/format';

type Props = {
  eventId: string;
  action: (state: ActionResult<RedemptionResult> | null, form: FormData) => Promise<ActionResult<RedemptionResult>>;
  /** From a presale link (/events/{id}?code=…): filled in, not sent, so opening a link never spends a use. */
  initialCode?: string;
  /** Formats money in the event's currency and the viewer's locale. */
  currency: string;
  locale: string;
  /** The event's time zone, for the presale's start. */
  timezone: string;
};

/**
 * "Have a presale code?": the code is counted against the signed-in account, and the answer says what it unlocked
 * (a presale and when it opens, hidden seats) with the way on, to the waiting room's presale line.
 */
export function PresaleCodeForm({ eventId, action, initialCode, currency, locale, timezone }: Props) {
  const [state, formAction, pending] = useActionState(action, null);
  const error = actionError(state, 'code');
  if (state?.ok) {
    const { presale, hiddenTiers } = state.value;
    const money = (minor: number) => formatMoney(minor, currency, locale);
    const when = (iso: string) => formatDateTime(new Date(iso), timezone, locale);
    return (
      <div role="status" className="space-y-2 rounded-lg bg-emerald-50 p-3 text-sm text-emerald-950">
        <p className="font-semibold">Presale code accepted.</p>
        {presale && (
          <p>
            {presale.name}: {new Date(presale.startsAt) > new Date() ? 'opens' : 'opened'}{' '}
            <time dateTime={presale.startsAt}>{when(presale.startsAt)}</time>, until{' '}
            <time dateTime={presale.endsAt}>{when(presale.endsAt)}</time>.
          </p>
        )}
        {hiddenTiers.length > 0 && (
          <ul className="list-disc pl-5">
            {hiddenTiers.map((t) => (
              <li key={t.id}>
                {t.name}, {money(t.priceMinor)}
              </li>
            ))}
          </ul>
        )}
        {/* A plain link: the waiting room page is served fresh, with the line this account now belongs to. */}
        <a
          href={`/events/${eventId}/queue`}
          className="inline-flex min-h-11 items-center rounded-lg bg-emerald-700 px-4 font-semibold text-white hover:bg-emerald-800"
        >
          {presale ? 'Join the presale line' : 'Go to the waiting room'}
        </a>
      </div>
    );
  }
  return (
    <form action={formAction} className="space-y-2" noValidate>
      <label htmlFor="presale-code" className="block text-sm font-medium text-slate-800">
        Have a presale code?
      </label>
      <div className="flex gap-2">
        <input
          id="presale-code"
          name="code"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={64}
          defaultValue={state?.ok === false ? (state.values?.code ?? initialCode) : initialCode}
          aria-invalid={Boolean(error)}
          aria-describedby={error ? 'presale-code-error' : undefined}
          className="block min-h-11 w-full min-w-0 rounded-lg border border-slate-300 px-3 uppercase shadow-sm focus:border-brand-600 aria-[invalid=true]:border-red-600"
        />
        <Button type="submit" variant="secondary" disabled={pending}>
          {pending ? 'Checking…' : 'Unlock'}
        </Button>
      </div>
      {error && (
        <p id="presale-code-error" role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
    </form>
  );
}
