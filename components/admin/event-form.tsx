'use client';

import { useRouter } from 'next/navigation';
import { useId, useMemo, useState, type InputHTMLAttributes, type ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { eventInputSchema } from '@/lib/contracts/admin-event';
import { CATEGORY_LABELS, EVENT_CATEGORIES, type EventCategory } from '@/lib/contracts/categories';
import { CURRENCIES, CURRENCY_CODES, isSupportedCurrency, minorDigits } from '@/lib/contracts/currency-table';
import {
  errorAt,
  fieldErrorsOf,
  FormField,
  FormSection,
  Options,
  AddButton,
  RemoveButton,
  replaceAt,
  type FieldErrors,
  type FieldInputProps,
} from './form-field';
import {
  draftAmountErrors,
  draftToBody,
  emptyEventDraft,
  newTier,
  valuesToDraft,
  type EventDraft,
  type EventValues,
} from './event-draft';

/** How amounts are typed in a currency: "In JPY, whole yen such as 5,000" has no decimals to type. */
const amountHint = (currency: string) =>
  minorDigits(currency) === 0 ? `In ${currency}, whole amounts such as 5,000` : `In ${currency}, such as 12.50`;

export type VenueOption = {
  id: string;
  name: string;
  city: string;
  timezone: string;
  sections: { label: string; name: string; rows: string[] }[];
};

type Props = {
  venues: VenueOption[];
  timeZones: string[];
  /** Editing an existing event; absent for a new one. */
  existing?: { id: string; status: 'draft' | 'published' | 'cancelled'; values: EventValues; lockedFields: string[] };
};

let rowKeys = 0;

/**
 * Create or edit an event: details, time and time zone, on-sale and limits, waiting room, refund policy, price tiers
 * assigned to sections or rows. After publishing, the venue, currency and tiers are locked (seats were copied with
 * them and may be sold); the form says so and sends only what may change.
 */
export function EventForm({ venues, timeZones, existing }: Props) {
  const router = useRouter();
  const id = useId();
  const locked = useMemo(() => new Set(existing?.lockedFields ?? []), [existing]);
  const cancelled = existing?.status === 'cancelled';
  const [draft, setDraft] = useState<EventDraft>(() =>
    existing ? valuesToDraft(existing.values) : emptyEventDraft(venues[0]?.id ?? '', venues[0]?.timezone ?? 'UTC'),
  );
  const [errors, setErrors] = useState<FieldErrors>(new Map());
  const [status, setStatus] = useState<{ kind: 'idle' | 'saving' | 'error' | 'saved'; message?: string }>({
    kind: 'idle',
  });
  const venue = venues.find((v) => v.id === draft.venueId);

  const set = (patch: Partial<EventDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    if (status.kind === 'saved') setStatus({ kind: 'idle' });
  };
  const isLocked = (name: string) => cancelled || locked.has(name);

  const field = (
    path: string,
    label: string,
    input: (p: FieldInputProps) => ReactNode,
    hint?: string,
    lockKey = path,
  ) => (
    <FormField
      id={`${id}-${path}`}
      label={label}
      error={errorAt(errors, path)}
      hint={hint}
      disabled={isLocked(lockKey.split('.')[0]!)}
      input={input}
    />
  );

  /** A whole-number setting of the event, typed as text so a half-typed value stays on screen. */
  type NumberSetting =
    | 'perOrderLimit'
    | 'perAccountLimit'
    | 'holdMinutes'
    | 'waitlistOfferMinutes'
    | 'queueCapacity'
    | 'admissionRatePerMinute'
    | 'shoppingWindowMinutes';
  const numberField = (name: NumberSetting, label: string, hint?: string) =>
    field(
      name,
      label,
      (p) => <input {...p} inputMode="numeric" value={draft[name]} onChange={(e) => set({ [name]: e.target.value })} />,
      hint,
    );

  /** Edits of the draft's lists (tiers, rows priced differently, refund steps), item by item. */
  const listOf = <K extends 'tiers' | 'rowOverrides' | 'refundPolicy'>(key: K) => {
    type Item = EventDraft[K][number];
    const items = draft[key] as Item[];
    const put = (next: Item[]) => set({ [key]: next } as Partial<EventDraft>);
    return {
      update: (i: number, patch: Partial<Item>) => put(replaceAt(items, i, patch)),
      remove: (i: number) => put(items.filter((_, j) => j !== i)),
      add: (item: Item) => put([...items, item]),
    };
  };
  const tiers = listOf('tiers');
  const overrides = listOf('rowOverrides');
  const refundSteps = listOf('refundPolicy');

  /** One input of price tier `i`: `key` is its draft field, `path` its field in the API's errors. */
  const tierField = (
    i: number,
    key: 'name' | 'price' | 'color',
    path: string,
    label: string,
    attributes: InputHTMLAttributes<HTMLInputElement> = {},
  ) =>
    field(
      `tiers.${i}.${path}`,
      `Tier ${i + 1} ${label}`,
      (p) => (
        <input
          {...p}
          {...attributes}
          className={`${p.className} ${attributes.className ?? ''}`}
          value={draft.tiers[i]![key]}
          onChange={(e) => tiers.update(i, { [key]: e.target.value })}
        />
      ),
      undefined,
      'tiers',
    );

  /** One choice of row override `i` (its section, row or tier). */
  const overrideField = (
    i: number,
    part: 'section' | 'row' | 'tier',
    value: string,
    change: (value: string) => void,
    options: ReactNode,
  ) =>
    field(
      `override-${i}-${part}`,
      `Override ${i + 1} ${part}`,
      (p) => (
        <select {...p} value={value} onChange={(e) => change(e.target.value)}>
          {options}
        </select>
      ),
      undefined,
      'assignments',
    );

  /** One number of refund step `i`. */
  const stepField = (i: number, key: 'hoursBefore' | 'percent', label: string) =>
    field(`refundPolicy.${i}.${key}`, `Step ${i + 1}: ${label}`, (p) => (
      <input
        {...p}
        inputMode="numeric"
        value={draft.refundPolicy[i]![key]}
        onChange={(e) => refundSteps.update(i, { [key]: e.target.value })}
      />
    ));

  async function submit() {
    const body = draftToBody(draft);
    if (venue) {
      const labels = new Set(venue.sections.map((s) => s.label));
      body.assignments = (body.assignments as { sectionLabel: string }[]).filter((a) => labels.has(a.sectionLabel));
    }
    const check = eventInputSchema.safeParse(body);
    const amounts = draftAmountErrors(draft);
    if (!check.success || amounts.size > 0) {
      // An amount that cannot be read says why ("JPY has no smaller unit"), not what the schema saw (NaN).
      const found = new Map([...(check.success ? [] : fieldErrorsOf(check.error.issues)), ...amounts]);
      setErrors(found);
      setStatus({
        kind: 'error',
        message: `Fix ${found.size === 1 ? 'the field' : `the ${found.size} fields`} marked in red.`,
      });
      return;
    }
    setErrors(new Map());
    setStatus({ kind: 'saving' });
    const payload = existing ? Object.fromEntries(Object.entries(body).filter(([k]) => !locked.has(k))) : body;
    try {
      const response = await fetch(existing ? `/api/admin/events/${existing.id}` : '/api/admin/events', {
        method: existing ? 'PATCH' : 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      });
      const answer = (await response.json().catch(() => ({}))) as {
        id?: string;
        detail?: string;
        changed?: string[];
        errors?: { path: string; message: string }[];
      };
      if (!response.ok) {
        setErrors(new Map((answer.errors ?? []).map((e) => [e.path, e.message])));
        setStatus({ kind: 'error', message: answer.detail ?? `Saving failed (${response.status}).` });
        return;
      }
      if (!existing) {
        router.push(`/admin/events/${answer.id}/edit?created=1`);
        return;
      }
      setStatus({
        kind: 'saved',
        message: answer.changed?.length
          ? `Saved: ${answer.changed.length} ${answer.changed.length === 1 ? 'field' : 'fields'} changed.`
          : 'Nothing had changed.',
      });
      router.refresh();
    } catch {
      setStatus({ kind: 'error', message: 'The connection failed. Nothing was lost; try again.' });
    }
  }

  const tierNames = draft.tiers.map((t) => t.name.trim()).filter(Boolean);
  const tiersLocked = isLocked('tiers');

  return (
    <form
      aria-label={existing ? 'Edit event' : 'New event'}
      noValidate
      className="space-y-6"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      {existing?.status === 'published' && (
        <p className="rounded-lg bg-amber-50 px-4 py-3 text-sm text-amber-900 ring-1 ring-amber-200">
          This event is published. Its venue, currency, price tiers and their sections are locked: seats were copied
          with those prices and some may be sold. Everything else can still change.
        </p>
      )}
      {cancelled && (
        <p className="rounded-lg bg-slate-100 px-4 py-3 text-sm text-slate-800 ring-1 ring-slate-300">
          This event was cancelled and can no longer be edited.
        </p>
      )}

      <FormSection legend="Details">
        <div className="grid gap-4 sm:grid-cols-2">
          {field('name', 'Event name', (p) => (
            <input {...p} value={draft.name} onChange={(e) => set({ name: e.target.value })} />
          ))}
          {field('performer', 'Performer', (p) => (
            <input {...p} value={draft.performer} onChange={(e) => set({ performer: e.target.value })} />
          ))}
          {field('category', 'Category', (p) => (
            <select {...p} value={draft.category} onChange={(e) => set({ category: e.target.value })}>
              <Options values={EVENT_CATEGORIES} label={(c) => CATEGORY_LABELS[c as EventCategory]} />
            </select>
          ))}
          {field(
            'imageUrl',
            'Image URL',
            (p) => (
              <input
                {...p}
                type="url"
                placeholder="https://…"
                value={draft.imageUrl}
                onChange={(e) => set({ imageUrl: e.target.value })}
              />
            ),
            'Optional',
          )}
          <div className="sm:col-span-2">
            {field('description', 'Description', (p) => (
              <textarea
                {...p}
                rows={3}
                value={draft.description}
                onChange={(e) => set({ description: e.target.value })}
              />
            ))}
          </div>
        </div>
      </FormSection>

      <FormSection legend="Venue and time">
        <div className="grid gap-4 sm:grid-cols-2">
          {field('venueId', 'Venue', (p) => (
            <select
              {...p}
              value={draft.venueId}
              onChange={(e) => {
                const next = venues.find((v) => v.id === e.target.value);
                set({
                  venueId: e.target.value,
                  sectionTiers: {},
                  rowOverrides: [],
                  ...(next && !existing ? { timezone: next.timezone } : {}),
                });
              }}
            >
              {venues.length === 0 && <option value="">No venues yet: build one first</option>}
              {venues.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.name}, {v.city}
                </option>
              ))}
            </select>
          ))}
          {field(
            'timezone',
            'Time zone',
            (p) => (
              <>
                <input
                  {...p}
                  list={`${id}-zones`}
                  value={draft.timezone}
                  onChange={(e) => set({ timezone: e.target.value })}
                />
                <datalist id={`${id}-zones`}>
                  {timeZones.map((z) => (
                    <option key={z} value={z} />
                  ))}
                </datalist>
              </>
            ),
            'IANA name, e.g. Europe/London; the times below are in it',
          )}
          {field('startsAt', 'Starts at', (p) => (
            <input
              {...p}
              type="datetime-local"
              value={draft.startsAt}
              onChange={(e) => set({ startsAt: e.target.value })}
            />
          ))}
          {field('onSaleAt', 'On sale from', (p) => (
            <input
              {...p}
              type="datetime-local"
              value={draft.onSaleAt}
              onChange={(e) => set({ onSaleAt: e.target.value })}
            />
          ))}
        </div>
      </FormSection>

      <FormSection legend="Prices">
        <div className="grid gap-4 sm:grid-cols-3">
          {field(
            'currency',
            'Currency',
            (p) => (
              <select {...p} value={draft.currency} onChange={(e) => set({ currency: e.target.value })}>
                <Options
                  values={isSupportedCurrency(draft.currency) ? CURRENCY_CODES : [draft.currency, ...CURRENCY_CODES]}
                  label={(c) => (isSupportedCurrency(c) ? `${c} — ${CURRENCIES[c].name}` : c)}
                />
              </select>
            ),
            'Buyers pay in it wherever they are',
          )}
          {field(
            'feePerTicketMinor',
            'Fee per ticket',
            (p) => (
              <input {...p} inputMode="decimal" value={draft.fee} onChange={(e) => set({ fee: e.target.value })} />
            ),
            amountHint(draft.currency),
          )}
        </div>
        <h2 className="mt-4 font-semibold">Tax</h2>
        <p className="mt-1 text-sm text-slate-600">
          Shown to buyers before they pay and on their order. Inclusive: the prices already contain it. Exclusive: it is
          added at checkout. Changes apply to new orders only.
        </p>
        <div className="mt-2 grid gap-4 sm:grid-cols-3">
          {field('taxMode', 'Tax', (p) => (
            <select
              {...p}
              value={draft.taxMode}
              onChange={(e) => set({ taxMode: e.target.value as EventDraft['taxMode'] })}
            >
              <option value="none">No tax</option>
              <option value="inclusive">Included in the prices</option>
              <option value="exclusive">Added at checkout</option>
            </select>
          ))}
          {draft.taxMode !== 'none' && (
            <>
              {field(
                'taxRateBp',
                'Rate (%)',
                (p) => (
                  <input
                    {...p}
                    inputMode="decimal"
                    value={draft.taxRate}
                    onChange={(e) => set({ taxRate: e.target.value })}
                  />
                ),
                'e.g. 20 or 8.875',
              )}
              {field(
                'taxLabel',
                'Name on receipts',
                (p) => (
                  <input
                    {...p}
                    maxLength={40}
                    value={draft.taxLabel}
                    onChange={(e) => set({ taxLabel: e.target.value })}
                  />
                ),
                'e.g. VAT, Sales tax',
              )}
            </>
          )}
        </div>
        {draft.taxMode !== 'none' && (
          <div className="mt-3 flex items-center gap-2">
            <input
              id={`${id}-tax-fees`}
              type="checkbox"
              className="h-5 w-5"
              disabled={cancelled}
              checked={draft.taxFees}
              onChange={(e) => set({ taxFees: e.target.checked })}
            />
            <label htmlFor={`${id}-tax-fees`} className="text-sm font-medium text-slate-800">
              The fee per ticket is taxed too
            </label>
          </div>
        )}

        <h2 className="mt-4 font-semibold">Price tiers</h2>
        <ul className="mt-2 space-y-3">
          {draft.tiers.map((tier, i) => (
            <li
              key={tier.key}
              className="grid grid-cols-[1fr_1fr_auto] items-start gap-3 sm:grid-cols-[2fr_1fr_auto_auto]"
            >
              {tierField(i, 'name', 'name', 'name')}
              {tierField(i, 'price', 'priceMinor', `price (${draft.currency})`, {
                inputMode: 'decimal',
                placeholder: minorDigits(draft.currency) === 0 ? '5,000' : '45.00',
              })}
              {tierField(i, 'color', 'color', 'colour', { type: 'color', className: 'h-10 w-14 p-1' })}
              <RemoveButton
                what={`tier ${i + 1}`}
                disabled={tiersLocked || draft.tiers.length === 1}
                className="col-span-3 self-end sm:col-span-1"
                onClick={() => tiers.remove(i)}
              />
            </li>
          ))}
        </ul>
        {errorAt(errors, 'tiers') && !draft.tiers.some((_, i) => errorAt(errors, `tiers.${i}`)) && (
          <p className="mt-1 text-sm text-red-700">{errorAt(errors, 'tiers')}</p>
        )}
        <AddButton className="mt-3" disabled={tiersLocked} onClick={() => tiers.add(newTier(draft.tiers.length))}>
          Add tier
        </AddButton>

        <h2 className="mt-6 font-semibold">Tier of each section</h2>
        {!venue || venue.sections.length === 0 ? (
          <p className="mt-1 text-sm text-slate-600">Choose a venue to assign tiers to its sections.</p>
        ) : (
          <div className="mt-2 grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
            {venue.sections.map((s) =>
              field(
                `section-${s.label}`,
                `Section ${s.label} tier`,
                (p) => (
                  <select
                    {...p}
                    value={draft.sectionTiers[s.label] ?? ''}
                    onChange={(e) => set({ sectionTiers: { ...draft.sectionTiers, [s.label]: e.target.value } })}
                  >
                    <Options values={tierNames} empty="No tier" />
                  </select>
                ),
                s.name !== s.label ? s.name : undefined,
                'assignments',
              ),
            )}
          </div>
        )}
        {errorAt(errors, 'assignments') && (
          <p className="mt-1 text-sm text-red-700">{errorAt(errors, 'assignments')}</p>
        )}
        {venue && venue.sections.length > 0 && (
          <div className="mt-4">
            <h3 className="text-sm font-semibold">Rows priced differently</h3>
            <ul className="mt-2 space-y-2">
              {draft.rowOverrides.map((o, i) => {
                const section = venue.sections.find((s) => s.label === o.sectionLabel);
                const update = (patch: Partial<typeof o>) => overrides.update(i, patch);
                return (
                  <li key={o.key} className="grid grid-cols-2 items-end gap-3 sm:grid-cols-4">
                    {overrideField(
                      i,
                      'section',
                      o.sectionLabel,
                      (v) => update({ sectionLabel: v, rowLabel: '' }),
                      <Options values={venue.sections.map((s) => s.label)} />,
                    )}
                    {overrideField(
                      i,
                      'row',
                      o.rowLabel,
                      (v) => update({ rowLabel: v }),
                      <Options values={section?.rows ?? []} empty="Choose a row" />,
                    )}
                    {overrideField(
                      i,
                      'tier',
                      o.tier,
                      (v) => update({ tier: v }),
                      <Options values={tierNames} empty="Choose a tier" />,
                    )}
                    <RemoveButton
                      what={`override ${i + 1}`}
                      disabled={tiersLocked}
                      onClick={() => overrides.remove(i)}
                    />
                  </li>
                );
              })}
            </ul>
            <AddButton
              className="mt-2"
              disabled={tiersLocked}
              onClick={() =>
                overrides.add({ key: `o${++rowKeys}`, sectionLabel: venue.sections[0]!.label, rowLabel: '', tier: '' })
              }
            >
              Price a row differently
            </AddButton>
          </div>
        )}
      </FormSection>

      <FormSection legend="Limits and holds">
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          {numberField('perOrderLimit', 'Seats per order')}
          {numberField('perAccountLimit', 'Seats per account')}
          {numberField('holdMinutes', 'Hold minutes', 'How long picked seats stay reserved')}
          {numberField(
            'waitlistOfferMinutes',
            'Waitlist offer minutes',
            'How long seats offered to the next person on the waitlist stay held for them to pay',
          )}
        </div>
      </FormSection>

      <FormSection legend="Waiting room">
        <div className="grid gap-4 sm:grid-cols-2">
          {numberField('queueCapacity', 'Active shoppers at once')}
          {numberField('admissionRatePerMinute', 'Admissions per minute')}
          {numberField('shoppingWindowMinutes', 'Shopping window (minutes)')}
          {field(
            'prequeueOpensAt',
            'Pre-queue opens',
            (p) => (
              <input
                {...p}
                type="datetime-local"
                value={draft.prequeueOpensAt}
                onChange={(e) => set({ prequeueOpensAt: e.target.value })}
              />
            ),
            'Empty: 30 minutes before the on-sale',
          )}
        </div>
        <div className="mt-4 flex items-center gap-2">
          <input
            id={`${id}-high`}
            type="checkbox"
            className="h-5 w-5"
            disabled={cancelled}
            checked={draft.highDemand}
            onChange={(e) => set({ highDemand: e.target.checked })}
          />
          <label htmlFor={`${id}-high`} className="text-sm font-medium text-slate-800">
            High demand (shown to buyers as a “High demand” badge)
          </label>
        </div>
      </FormSection>

      <FormSection legend="Refund policy">
        <p className="text-sm text-slate-600">
          A buyer who cancels at least this many hours before the start gets this share back. No matching step: no
          refund.
        </p>
        <ul className="mt-3 space-y-2">
          {draft.refundPolicy.map((r, i) => (
            <li key={r.key} className="grid grid-cols-[1fr_1fr_auto] items-end gap-3">
              {stepField(i, 'hoursBefore', 'hours before')}
              {stepField(i, 'percent', 'percent refunded')}
              <RemoveButton what={`step ${i + 1}`} disabled={cancelled} onClick={() => refundSteps.remove(i)} />
            </li>
          ))}
        </ul>
        <AddButton
          className="mt-2"
          disabled={cancelled}
          onClick={() => refundSteps.add({ key: `r${++rowKeys}`, hoursBefore: '0', percent: '0' })}
        >
          Add step
        </AddButton>
      </FormSection>

      <div className="sticky bottom-0 -mx-4 flex flex-wrap items-center gap-3 border-t border-slate-200 bg-white/95 px-4 py-3 backdrop-blur sm:mx-0 sm:rounded-xl sm:ring-1 sm:ring-slate-200">
        <Button type="submit" disabled={status.kind === 'saving' || cancelled}>
          {status.kind === 'saving' ? 'Saving…' : existing ? 'Save changes' : 'Create draft'}
        </Button>
        <div aria-live="polite" className="text-sm">
          {status.message && (
            <p
              role={status.kind === 'error' ? 'alert' : 'status'}
              className={status.kind === 'error' ? 'text-red-800' : 'text-green-800'}
            >
              {status.message}
            </p>
          )}
        </div>
      </div>
    </form>
  );
}
