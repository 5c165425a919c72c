'use client';

import { useRouter } from 'next/navigation';
import { useId, useMemo, useState, type ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { eventInputSchema } from '@/lib/contracts/admin-event';
import { CATEGORY_LABELS, EVENT_CATEGORIES } from '@/lib/contracts/categories';
import { errorAt, fieldErrorsOf, FormField, type FieldErrors, type FieldInputProps } from './form-field';
import { draftToBody, emptyEventDraft, newTier, valuesToDraft, type EventDraft, type EventValues } from './event-draft';

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

  async function submit() {
    const body = draftToBody(draft);
    if (venue) {
      const labels = new Set(venue.sections.map((s) => s.label));
      body.assignments = (body.assignments as { sectionLabel: string }[]).filter((a) => labels.has(a.sectionLabel));
    }
    const check = eventInputSchema.safeParse(body);
    if (!check.success) {
      const found = fieldErrorsOf(check.error.issues);
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

      <fieldset className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
        <legend className="px-1 text-lg font-semibold">Details</legend>
        <div className="grid gap-4 sm:grid-cols-2">
          {field('name', 'Event name', (p) => (
            <input {...p} value={draft.name} onChange={(e) => set({ name: e.target.value })} />
          ))}
          {field('performer', 'Performer', (p) => (
            <input {...p} value={draft.performer} onChange={(e) => set({ performer: e.target.value })} />
          ))}
          {field('category', 'Category', (p) => (
            <select {...p} value={draft.category} onChange={(e) => set({ category: e.target.value })}>
              {EVENT_CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {CATEGORY_LABELS[c]}
                </option>
              ))}
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
      </fieldset>

      <fieldset className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
        <legend className="px-1 text-lg font-semibold">Venue and time</legend>
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
      </fieldset>

      <fieldset className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
        <legend className="px-1 text-lg font-semibold">Prices</legend>
        <div className="grid gap-4 sm:grid-cols-3">
          {field(
            'currency',
            'Currency',
            (p) => (
              <input
                {...p}
                maxLength={3}
                value={draft.currency}
                onChange={(e) => set({ currency: e.target.value.toUpperCase() })}
              />
            ),
            'ISO code, e.g. USD',
          )}
          {field(
            'feePerTicketMinor',
            'Fee per ticket',
            (p) => (
              <input {...p} inputMode="decimal" value={draft.fee} onChange={(e) => set({ fee: e.target.value })} />
            ),
            `In ${draft.currency || 'the currency'}`,
          )}
        </div>
        <h2 className="mt-4 font-semibold">Price tiers</h2>
        <ul className="mt-2 space-y-3">
          {draft.tiers.map((tier, i) => (
            <li
              key={tier.key}
              className="grid grid-cols-[1fr_1fr_auto] items-start gap-3 sm:grid-cols-[2fr_1fr_auto_auto]"
            >
              {field(
                `tiers.${i}.name`,
                `Tier ${i + 1} name`,
                (p) => (
                  <input
                    {...p}
                    value={tier.name}
                    onChange={(e) =>
                      set({ tiers: draft.tiers.map((t, j) => (j === i ? { ...t, name: e.target.value } : t)) })
                    }
                  />
                ),
                undefined,
                'tiers',
              )}
              {field(
                `tiers.${i}.priceMinor`,
                `Tier ${i + 1} price`,
                (p) => (
                  <input
                    {...p}
                    inputMode="decimal"
                    value={tier.price}
                    onChange={(e) =>
                      set({ tiers: draft.tiers.map((t, j) => (j === i ? { ...t, price: e.target.value } : t)) })
                    }
                  />
                ),
                undefined,
                'tiers',
              )}
              {field(
                `tiers.${i}.color`,
                `Tier ${i + 1} colour`,
                (p) => (
                  <input
                    {...p}
                    type="color"
                    className={`${p.className} h-10 w-14 p-1`}
                    value={tier.color}
                    onChange={(e) =>
                      set({ tiers: draft.tiers.map((t, j) => (j === i ? { ...t, color: e.target.value } : t)) })
                    }
                  />
                ),
                undefined,
                'tiers',
              )}
              <button
                type="button"
                disabled={tiersLocked || draft.tiers.length === 1}
                className="col-span-3 min-h-11 self-end rounded-md px-3 text-sm font-semibold text-red-700 hover:bg-red-50 disabled:text-slate-400 sm:col-span-1"
                onClick={() => set({ tiers: draft.tiers.filter((_, j) => j !== i) })}
              >
                Remove<span className="sr-only"> tier {i + 1}</span>
              </button>
            </li>
          ))}
        </ul>
        {errorAt(errors, 'tiers') && !draft.tiers.some((_, i) => errorAt(errors, `tiers.${i}`)) && (
          <p className="mt-1 text-sm text-red-700">{errorAt(errors, 'tiers')}</p>
        )}
        <Button
          type="button"
          variant="secondary"
          className="mt-3"
          disabled={tiersLocked}
          onClick={() => set({ tiers: [...draft.tiers, newTier(draft.tiers.length)] })}
        >
          Add tier
        </Button>

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
                    <option value="">No tier</option>
                    {tierNames.map((n) => (
                      <option key={n} value={n}>
                        {n}
                      </option>
                    ))}
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
                const update = (patch: Partial<typeof o>) =>
                  set({ rowOverrides: draft.rowOverrides.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
                return (
                  <li key={o.key} className="grid grid-cols-2 items-end gap-3 sm:grid-cols-4">
                    {field(
                      `override-${i}-section`,
                      `Override ${i + 1} section`,
                      (p) => (
                        <select
                          {...p}
                          value={o.sectionLabel}
                          onChange={(e) => update({ sectionLabel: e.target.value, rowLabel: '' })}
                        >
                          {venue.sections.map((s) => (
                            <option key={s.label} value={s.label}>
                              {s.label}
                            </option>
                          ))}
                        </select>
                      ),
                      undefined,
                      'assignments',
                    )}
                    {field(
                      `override-${i}-row`,
                      `Override ${i + 1} row`,
                      (p) => (
                        <select {...p} value={o.rowLabel} onChange={(e) => update({ rowLabel: e.target.value })}>
                          <option value="">Choose a row</option>
                          {(section?.rows ?? []).map((r) => (
                            <option key={r} value={r}>
                              {r}
                            </option>
                          ))}
                        </select>
                      ),
                      undefined,
                      'assignments',
                    )}
                    {field(
                      `override-${i}-tier`,
                      `Override ${i + 1} tier`,
                      (p) => (
                        <select {...p} value={o.tier} onChange={(e) => update({ tier: e.target.value })}>
                          <option value="">Choose a tier</option>
                          {tierNames.map((n) => (
                            <option key={n} value={n}>
                              {n}
                            </option>
                          ))}
                        </select>
                      ),
                      undefined,
                      'assignments',
                    )}
                    <button
                      type="button"
                      disabled={tiersLocked}
                      className="min-h-11 rounded-md px-3 text-sm font-semibold text-red-700 hover:bg-red-50 disabled:text-slate-400"
                      onClick={() => set({ rowOverrides: draft.rowOverrides.filter((_, j) => j !== i) })}
                    >
                      Remove<span className="sr-only"> override {i + 1}</span>
                    </button>
                  </li>
                );
              })}
            </ul>
            <Button
              type="button"
              variant="secondary"
              className="mt-2"
              disabled={tiersLocked}
              onClick={() =>
                set({
                  rowOverrides: [
                    ...draft.rowOverrides,
                    { key: `o${++rowKeys}`, sectionLabel: venue.sections[0]!.label, rowLabel: '', tier: '' },
                  ],
                })
              }
            >
              Price a row differently
            </Button>
          </div>
        )}
      </fieldset>

      <fieldset className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
        <legend className="px-1 text-lg font-semibold">Limits and holds</legend>
        <div className="grid gap-4 sm:grid-cols-3">
          {numberField('perOrderLimit', 'Seats per order')}
          {numberField('perAccountLimit', 'Seats per account')}
          {numberField('holdMinutes', 'Hold minutes', 'How long picked seats stay reserved')}
        </div>
      </fieldset>

      <fieldset className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
        <legend className="px-1 text-lg font-semibold">Waiting room</legend>
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
      </fieldset>

      <fieldset className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
        <legend className="px-1 text-lg font-semibold">Refund policy</legend>
        <p className="text-sm text-slate-600">
          A buyer who cancels at least this many hours before the start gets this share back. No matching step: no
          refund.
        </p>
        <ul className="mt-3 space-y-2">
          {draft.refundPolicy.map((r, i) => (
            <li key={r.key} className="grid grid-cols-[1fr_1fr_auto] items-end gap-3">
              {field(`refundPolicy.${i}.hoursBefore`, `Step ${i + 1}: hours before`, (p) => (
                <input
                  {...p}
                  inputMode="numeric"
                  value={r.hoursBefore}
                  onChange={(e) =>
                    set({
                      refundPolicy: draft.refundPolicy.map((x, j) =>
                        j === i ? { ...x, hoursBefore: e.target.value } : x,
                      ),
                    })
                  }
                />
              ))}
              {field(`refundPolicy.${i}.percent`, `Step ${i + 1}: percent refunded`, (p) => (
                <input
                  {...p}
                  inputMode="numeric"
                  value={r.percent}
                  onChange={(e) =>
                    set({
                      refundPolicy: draft.refundPolicy.map((x, j) => (j === i ? { ...x, percent: e.target.value } : x)),
                    })
                  }
                />
              ))}
              <button
                type="button"
                disabled={cancelled}
                className="min-h-11 rounded-md px-3 text-sm font-semibold text-red-700 hover:bg-red-50 disabled:text-slate-400"
                onClick={() => set({ refundPolicy: draft.refundPolicy.filter((_, j) => j !== i) })}
              >
                Remove<span className="sr-only"> step {i + 1}</span>
              </button>
            </li>
          ))}
        </ul>
        <Button
          type="button"
          variant="secondary"
          className="mt-2"
          disabled={cancelled}
          onClick={() =>
            set({ refundPolicy: [...draft.refundPolicy, { key: `r${++rowKeys}`, hoursBefore: '0', percent: '0' }] })
          }
        >
          Add step
        </Button>
      </fieldset>

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
