'use client';

import { useRouter } from 'next/navigation';
import { useId, useState, type ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import type { DiscountCodeSummary } from '@/lib/contracts/discount-code';
import { errorAt, FormField, FormSection, type FieldErrors, type FieldInputProps } from './form-field';
import { parseAmount } from '@/lib/pricing/money';

type Draft = {
  code: string;
  kind: 'percent' | 'fixed';
  amount: string;
  scope: 'order' | 'ticket';
  maxUses: string;
  perAccountLimit: string;
  validFrom: string;
  validUntil: string;
};
const EMPTY: Draft = {
  code: '',
  kind: 'percent',
  amount: '',
  scope: 'order',
  maxUses: '',
  perAccountLimit: '',
  validFrom: '',
  validUntil: '',
};

/** The organizer's form for a new discount code; the server checks everything again (422 with field errors). */
export function NewDiscountCodeForm({ eventId, currency }: { eventId: string; currency: string }) {
  const id = useId();
  const router = useRouter();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [errors, setErrors] = useState<FieldErrors>(new Map());
  const [status, setStatus] = useState<{ kind: 'idle' | 'saving' | 'saved' | 'error'; message?: string }>({
    kind: 'idle',
  });
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const whole = (text: string) => (text.trim() === '' ? null : Number(text));
  const at = (local: string) => (local ? new Date(local).toISOString() : null);

  async function submit() {
    // A fixed amount is typed in the event's currency ("¥500", "2,50"); a percentage in percent (basis points sent).
    const fixed = draft.kind === 'percent' || draft.amount.trim() === '' ? null : parseAmount(draft.amount, currency);
    if (fixed && !fixed.ok) {
      setErrors(new Map([['amount', fixed.message]]));
      setStatus({ kind: 'error', message: 'Fix the field marked in red.' });
      return;
    }
    const body = {
      code: draft.code,
      kind: draft.kind,
      value:
        draft.amount.trim() === '' ? 0 : fixed ? fixed.minor : Math.round(Number(draft.amount.replace(',', '.')) * 100),
      scope: draft.scope,
      maxUses: whole(draft.maxUses),
      perAccountLimit: whole(draft.perAccountLimit),
      validFrom: at(draft.validFrom),
      validUntil: at(draft.validUntil),
    };
    setStatus({ kind: 'saving' });
    try {
      const response = await fetch(`/api/admin/events/${eventId}/discount-codes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const answer = (await response.json().catch(() => ({}))) as {
        code?: string;
        detail?: string;
        errors?: { path: string; message: string }[];
      };
      if (!response.ok) {
        setErrors(new Map((answer.errors ?? []).map((e) => [e.path === 'value' ? 'amount' : e.path, e.message])));
        setStatus({ kind: 'error', message: answer.detail ?? `Saving failed (${response.status}).` });
        return;
      }
      setErrors(new Map());
      setDraft(EMPTY);
      setStatus({ kind: 'saved', message: `Code ${answer.code} created.` });
      router.refresh();
    } catch {
      setStatus({ kind: 'error', message: 'The connection failed. Nothing was saved; try again.' });
    }
  }

  const field = (path: keyof Draft, label: string, input: (p: FieldInputProps) => ReactNode, hint?: string) => (
    <FormField id={`${id}-${path}`} label={label} error={errorAt(errors, path)} hint={hint} input={input} />
  );

  return (
    <form
      aria-label="New discount code"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <FormSection legend="New discount code">
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          {field(
            'code',
            'Code',
            (p) => (
              <input
                {...p}
                maxLength={32}
                autoComplete="off"
                value={draft.code}
                onChange={(e) => set({ code: e.target.value.toUpperCase() })}
              />
            ),
            'Letters, digits, dashes',
          )}
          {field('kind', 'Discount', (p) => (
            <select {...p} value={draft.kind} onChange={(e) => set({ kind: e.target.value as Draft['kind'] })}>
              <option value="percent">Percentage</option>
              <option value="fixed">Fixed amount</option>
            </select>
          ))}
          {field(
            'amount',
            draft.kind === 'percent' ? 'Percent off' : `Amount off (${currency})`,
            (p) => (
              <input
                {...p}
                inputMode="decimal"
                value={draft.amount}
                onChange={(e) => set({ amount: e.target.value })}
              />
            ),
            'Taken from ticket prices before tax',
          )}
          {field('scope', 'Applies to', (p) => (
            <select {...p} value={draft.scope} onChange={(e) => set({ scope: e.target.value as Draft['scope'] })}>
              <option value="order">Each order</option>
              <option value="ticket">Each ticket</option>
            </select>
          ))}
          {field(
            'maxUses',
            'Total uses',
            (p) => (
              <input
                {...p}
                inputMode="numeric"
                value={draft.maxUses}
                onChange={(e) => set({ maxUses: e.target.value })}
              />
            ),
            'Empty: no limit',
          )}
          {field(
            'perAccountLimit',
            'Uses per account',
            (p) => (
              <input
                {...p}
                inputMode="numeric"
                value={draft.perAccountLimit}
                onChange={(e) => set({ perAccountLimit: e.target.value })}
              />
            ),
            'Empty: no limit',
          )}
          {field(
            'validFrom',
            'Valid from',
            (p) => (
              <input
                {...p}
                type="datetime-local"
                value={draft.validFrom}
                onChange={(e) => set({ validFrom: e.target.value })}
              />
            ),
            'Your browser’s time; empty: now',
          )}
          {field(
            'validUntil',
            'Valid until',
            (p) => (
              <input
                {...p}
                type="datetime-local"
                value={draft.validUntil}
                onChange={(e) => set({ validUntil: e.target.value })}
              />
            ),
            'Empty: until the sale ends',
          )}
        </div>
        <div className="mt-4 flex flex-wrap items-center gap-3">
          <Button type="submit" disabled={status.kind === 'saving'}>
            {status.kind === 'saving' ? 'Creating…' : 'Create code'}
          </Button>
          {status.message && (
            <p
              role={status.kind === 'error' ? 'alert' : 'status'}
              className={`text-sm ${status.kind === 'error' ? 'text-red-700' : 'text-green-800'}`}
            >
              {status.message}
            </p>
          )}
        </div>
      </FormSection>
    </form>
  );
}

/** Withdraw a code, or bring it back. */
export function DiscountCodeToggle({
  eventId,
  code,
}: {
  eventId: string;
  code: Pick<DiscountCodeSummary, 'id' | 'code' | 'active'>;
}) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const toggle = async () => {
    setBusy(true);
    setFailed(null);
    try {
      const response = await fetch(`/api/admin/events/${eventId}/discount-codes/${code.id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ active: !code.active }),
      });
      if (!response.ok) setFailed(`Failed (${response.status})`);
      else router.refresh();
    } catch {
      setFailed('The connection failed');
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="inline-flex items-center gap-2">
      <Button
        variant="secondary"
        disabled={busy}
        onClick={() => void toggle()}
        aria-label={`${code.active ? 'Withdraw' : 'Reactivate'} ${code.code}`}
      >
        {code.active ? 'Withdraw' : 'Reactivate'}
      </Button>
      {failed && (
        <span role="alert" className="text-sm text-red-700">
          {failed}
        </span>
      )}
    </span>
  );
}
