'use client';

import { useRouter } from 'next/navigation';
import { useDeferredValue, useId, useMemo, useState, type ChangeEvent, type ReactNode } from 'react';
import { SeatMap, venueLayoutDocument } from '@/components/seat-map';
import { Button } from '@/components/ui/button';
import { compileLayout } from '@/lib/admin/compile-layout';
import { layoutToFile, parseLayoutFile, type LayoutFileError } from '@/lib/admin/layout-json';
import { venueLayoutSchema, type VenueLayout } from '@/lib/contracts/venue-layout';
import { countOf } from '@/lib/format';
import {
  errorAt,
  fieldErrorsOf,
  FormField,
  FormSection,
  RemoveButton,
  type FieldErrors,
  type FieldInputProps,
} from './form-field';
import {
  draftToLayout,
  emptyDraft,
  layoutToDraft,
  newRow,
  newSection,
  nextLabel,
  type RowDraft,
  type SectionDraft,
  type VenueDraft,
} from './venue-draft';

function validate(draft: VenueDraft): { layout: VenueLayout | null; errors: FieldErrors } {
  let raw = draftToLayout(draft);
  if (draft.stage.mode === 'auto') {
    const first = venueLayoutSchema.safeParse(raw);
    if (first.success) {
      const seats = compileLayout(first.data);
      if (seats.length) {
        const minX = Math.min(...seats.map((s) => s.x));
        const maxX = Math.max(...seats.map((s) => s.x));
        const minY = Math.min(...seats.map((s) => s.y));
        const width = Math.max(60, Math.round(maxX - minX));
        raw = draftToLayout(draft, {
          x: Math.round((minX + maxX) / 2 - width / 2),
          y: Math.round(minY - 45),
          width,
          height: 20,
        });
      }
    }
  }
  const result = venueLayoutSchema.safeParse(raw);
  if (result.success) return { layout: result.data, errors: new Map() };
  return { layout: null, errors: fieldErrorsOf(result.error.issues) };
}

/**
 * The venue builder: venue details, sections of rows with aisles and accessible seats, a live preview drawn by
 * the buyers' seat map, import and export of the layout file, and save. Field errors come from the same schema the
 * server applies.
 */
export function VenueBuilder({ initial, timeZones }: { initial: VenueLayout | null; timeZones: string[] }) {
  const router = useRouter();
  const id = useId();
  const [draft, setDraft] = useState<VenueDraft>(() => (initial ? layoutToDraft(initial) : emptyDraft()));
  const [touched, setTouched] = useState(false);
  const [serverErrors, setServerErrors] = useState<FieldErrors>(new Map());
  const [fileErrors, setFileErrors] = useState<LayoutFileError[]>([]);
  const [status, setStatus] = useState<{ kind: 'idle' | 'saving' | 'error' | 'info'; message?: string }>({
    kind: 'idle',
  });
  const [openSections, setOpenSections] = useState<Set<string>>(
    () => new Set(draft.sections.length <= 6 ? draft.sections.map((s) => s.key) : []),
  );

  const deferred = useDeferredValue(draft);
  const checked = useMemo(() => validate(deferred), [deferred]);
  // The preview does not wait for the name and city.
  const previewable = useMemo(
    () =>
      deferred.name && deferred.city
        ? checked
        : validate({ ...deferred, name: deferred.name || 'New venue', city: deferred.city || 'City' }),
    [deferred, checked],
  );
  const [lastGood, setLastGood] = useState<VenueLayout | null>(previewable.layout);
  if (previewable.layout && previewable.layout !== lastGood) setLastGood(previewable.layout);
  const preview = useMemo(() => (lastGood ? venueLayoutDocument(lastGood) : null), [lastGood]);
  const codes = useMemo(() => new Uint8Array(preview?.seats.id.length ?? 0), [preview]);

  const errors: FieldErrors = serverErrors.size
    ? serverErrors
    : touched
      ? checked.errors
      : new Map([...checked.errors].filter(([p]) => p.startsWith('sections')));
  const seatCount = lastGood ? lastGood.sections.reduce((n, s) => n + s.rows.reduce((m, r) => m + r.seats, 0), 0) : 0;

  const change = (next: (d: VenueDraft) => VenueDraft) => {
    setServerErrors(new Map());
    setDraft(next);
  };
  const setSection = (index: number, patch: Partial<SectionDraft>) =>
    change((d) => ({ ...d, sections: d.sections.map((s, i) => (i === index ? { ...s, ...patch } : s)) }));
  const setRow = (si: number, ri: number, patch: Partial<RowDraft>) =>
    change((d) => ({
      ...d,
      sections: d.sections.map((s, i) =>
        i === si ? { ...s, rows: s.rows.map((r, j) => (j === ri ? { ...r, ...patch } : r)) } : s,
      ),
    }));

  const addSection = () => {
    const section = newSection(draft.sections.length, draft.sections.at(-1));
    change((d) => ({ ...d, sections: [...d.sections, section] }));
    setOpenSections((open) => new Set(open).add(section.key));
  };
  const addRow = (si: number) =>
    change((d) => ({
      ...d,
      sections: d.sections.map((s, i) => {
        if (i !== si) return s;
        const last = s.rows.at(-1);
        const row = last
          ? {
              ...newRow(nextLabel(last.label), Number(last.seats) || 10),
              offset: last.offset,
              aislesAfter: last.aislesAfter,
            }
          : newRow('A');
        return { ...s, rows: [...s.rows, row] };
      }),
    }));

  async function importFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    const parsed = parseLayoutFile(await file.text());
    if (!parsed.ok) {
      setFileErrors(parsed.errors);
      setStatus({
        kind: 'error',
        message: `${file.name} was not imported: ${parsed.errors.length === 1 ? 'one problem' : `${parsed.errors.length} problems`}.`,
      });
      return;
    }
    const next = layoutToDraft(parsed.layout);
    setFileErrors([]);
    setServerErrors(new Map());
    setDraft(next);
    setOpenSections(new Set(next.sections.length <= 6 ? next.sections.map((s) => s.key) : []));
    setStatus({
      kind: 'info',
      message: `Imported ${file.name}: ${countOf(next.sections.length, 'section', 'sections')}. Check the preview, then save.`,
    });
  }

  function exportFile() {
    if (!checked.layout) return;
    const url = URL.createObjectURL(new Blob([layoutToFile(checked.layout)], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${checked.layout.name.toLowerCase().replace(/[^a-z0-9]+/g, '-') || 'venue'}.layout.json`;
    a.click();
    URL.revokeObjectURL(url);
  }

  async function save() {
    setTouched(true);
    const current = validate(draft);
    if (!current.layout) {
      setStatus({
        kind: 'error',
        message: `Fix ${current.errors.size === 1 ? 'the field' : `the ${current.errors.size} fields`} marked in red first.`,
      });
      return;
    }
    setStatus({ kind: 'saving' });
    try {
      const response = await fetch('/api/admin/venues', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(current.layout),
      });
      const body = (await response.json().catch(() => ({}))) as {
        id?: string;
        detail?: string;
        errors?: { path: string; message: string }[];
      };
      if (!response.ok) {
        setServerErrors(new Map((body.errors ?? []).map((e) => [e.path, e.message])));
        setStatus({ kind: 'error', message: body.detail ?? `Saving failed (${response.status}).` });
        return;
      }
      router.push(`/admin/venues?created=${body.id}`);
    } catch {
      setStatus({ kind: 'error', message: 'The connection failed. Your layout is still here; try again.' });
    }
  }

  const field = (path: string, label: ReactNode, input: (props: FieldInputProps) => ReactNode, hint?: string) => (
    <FormField id={`${id}-${path}`} label={label} error={errorAt(errors, path)} hint={hint} input={input} />
  );

  return (
    <div className="mt-6 grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,1.1fr)]">
      <form
        aria-label="Venue layout"
        noValidate
        className="space-y-6"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <FormSection legend="Venue">
          <div className="grid gap-4 sm:grid-cols-2">
            {field('name', 'Venue name', (p) => (
              <input {...p} value={draft.name} onChange={(e) => change((d) => ({ ...d, name: e.target.value }))} />
            ))}
            {field('city', 'City', (p) => (
              <input {...p} value={draft.city} onChange={(e) => change((d) => ({ ...d, city: e.target.value }))} />
            ))}
            {field(
              'country',
              'Country code',
              (p) => (
                <input
                  {...p}
                  maxLength={2}
                  value={draft.country}
                  onChange={(e) => change((d) => ({ ...d, country: e.target.value }))}
                />
              ),
              'Two letters, e.g. US or GB',
            )}
            {field('timezone', 'Time zone', (p) => (
              <>
                <input
                  {...p}
                  list={`${id}-zones`}
                  value={draft.timezone}
                  onChange={(e) => change((d) => ({ ...d, timezone: e.target.value }))}
                />
                <datalist id={`${id}-zones`}>
                  {timeZones.map((z) => (
                    <option key={z} value={z} />
                  ))}
                </datalist>
              </>
            ))}
            <div className="sm:col-span-2">
              {field('address', 'Address', (p) => (
                <input
                  {...p}
                  value={draft.address}
                  onChange={(e) => change((d) => ({ ...d, address: e.target.value }))}
                />
              ))}
            </div>
            <div className="sm:col-span-2">
              {field('description', 'Description', (p) => (
                <textarea
                  {...p}
                  rows={2}
                  value={draft.description}
                  onChange={(e) => change((d) => ({ ...d, description: e.target.value }))}
                />
              ))}
            </div>
            {field('stage', 'Stage', (p) => (
              <select
                {...p}
                value={draft.stage.mode}
                onChange={(e) =>
                  change((d) => ({ ...d, stage: { ...d.stage, mode: e.target.value as VenueDraft['stage']['mode'] } }))
                }
              >
                <option value="auto">Above the seats</option>
                {draft.stage.fixed && <option value="fixed">As imported</option>}
                <option value="none">No stage</option>
              </select>
            ))}
            {draft.stage.mode !== 'none' &&
              field('stage.label', 'Stage label', (p) => (
                <input
                  {...p}
                  value={draft.stage.label}
                  onChange={(e) => change((d) => ({ ...d, stage: { ...d.stage, label: e.target.value } }))}
                />
              ))}
          </div>
        </FormSection>

        {draft.sections.map((section, si) => {
          const base = `sections.${si}`;
          const open = openSections.has(section.key);
          const sectionError = errorAt(errors, base);
          const title = `Section ${si + 1}`;
          return (
            <fieldset
              key={section.key}
              className={`rounded-xl bg-white p-4 shadow-sm ring-1 ${sectionError ? 'ring-red-300' : 'ring-slate-200'}`}
            >
              <legend className="px-1 text-lg font-semibold">
                {title}
                {section.label ? `: ${section.label}` : ''}
              </legend>
              <div className="grid gap-4 sm:grid-cols-2">
                {field(
                  `${base}.label`,
                  <>
                    <span className="sr-only">{title} </span>Label
                  </>,
                  (p) => (
                    <input {...p} value={section.label} onChange={(e) => setSection(si, { label: e.target.value })} />
                  ),
                  'Printed on tickets, unique in the venue',
                )}
                {field(
                  `${base}.name`,
                  <>
                    <span className="sr-only">{title} </span>Name
                  </>,
                  (p) => (
                    <input {...p} value={section.name} onChange={(e) => setSection(si, { name: e.target.value })} />
                  ),
                )}
              </div>
              <details className="mt-3 rounded-lg bg-slate-50 px-3 py-2">
                <summary className="cursor-pointer text-sm font-medium text-slate-800">
                  Position, curve and numbering
                </summary>
                <div className="mt-3 grid grid-cols-2 gap-3 sm:grid-cols-3">
                  {field(`${base}.origin.x`, 'Position x', (p) => (
                    <input
                      {...p}
                      inputMode="decimal"
                      value={section.x}
                      onChange={(e) => setSection(si, { x: e.target.value })}
                    />
                  ))}
                  {field(`${base}.origin.y`, 'Position y', (p) => (
                    <input
                      {...p}
                      inputMode="decimal"
                      value={section.y}
                      onChange={(e) => setSection(si, { y: e.target.value })}
                    />
                  ))}
                  {field(`${base}.rotation`, 'Rotation (°)', (p) => (
                    <input
                      {...p}
                      inputMode="decimal"
                      value={section.rotation}
                      onChange={(e) => setSection(si, { rotation: e.target.value })}
                    />
                  ))}
                  {field(
                    `${base}.curveRadius`,
                    'Curve radius',
                    (p) => (
                      <input
                        {...p}
                        inputMode="decimal"
                        value={section.curveRadius}
                        onChange={(e) => setSection(si, { curveRadius: e.target.value })}
                      />
                    ),
                    '0 for straight rows',
                  )}
                  {field(`${base}.seatSpacing`, 'Seat spacing', (p) => (
                    <input
                      {...p}
                      inputMode="decimal"
                      value={section.seatSpacing}
                      onChange={(e) => setSection(si, { seatSpacing: e.target.value })}
                    />
                  ))}
                  {field(`${base}.rowSpacing`, 'Row spacing', (p) => (
                    <input
                      {...p}
                      inputMode="decimal"
                      value={section.rowSpacing}
                      onChange={(e) => setSection(si, { rowSpacing: e.target.value })}
                    />
                  ))}
                  {field(`${base}.numbering`, 'Seat numbers run', (p) => (
                    <select
                      {...p}
                      value={section.numbering}
                      onChange={(e) => setSection(si, { numbering: e.target.value as 'ltr' | 'rtl' })}
                    >
                      <option value="ltr">Left to right</option>
                      <option value="rtl">Right to left</option>
                    </select>
                  ))}
                  {field(`${base}.firstSeatNumber`, 'First seat number', (p) => (
                    <input
                      {...p}
                      inputMode="numeric"
                      value={section.firstSeatNumber}
                      onChange={(e) => setSection(si, { firstSeatNumber: e.target.value })}
                    />
                  ))}
                </div>
              </details>

              <div className="mt-4 flex items-center justify-between gap-2">
                <h2 className="font-semibold">
                  Rows <span className="font-normal text-slate-600">({section.rows.length})</span>
                </h2>
                <button
                  type="button"
                  aria-expanded={open}
                  className="rounded-md px-2 py-1 text-sm font-semibold text-brand-700 hover:bg-brand-50"
                  onClick={() =>
                    setOpenSections((s) => {
                      const next = new Set(s);
                      if (open) next.delete(section.key);
                      else next.add(section.key);
                      return next;
                    })
                  }
                >
                  {open ? 'Hide rows' : 'Show rows'}
                  <span className="sr-only"> of {title}</span>
                </button>
              </div>
              {errorAt(errors, `${base}.rows`) && !open && (
                <p className="mt-1 text-sm text-red-700">A row has a problem: {errorAt(errors, `${base}.rows`)}</p>
              )}
              {open && (
                <div className="mt-2 space-y-3">
                  {section.rows.length === 0 && (
                    <p className="text-sm text-red-700">{errorAt(errors, `${base}.rows`) ?? 'Add at least one row.'}</p>
                  )}
                  {section.rows.map((row, ri) => {
                    const rp = `${base}.rows.${ri}`;
                    const who = `${title}, row ${ri + 1}`;
                    return (
                      <div
                        key={row.key}
                        role="group"
                        aria-label={who}
                        className="rounded-lg border border-slate-200 p-3"
                      >
                        <p aria-hidden className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">
                          Row {ri + 1}
                        </p>
                        <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
                          {field(
                            `${rp}.label`,
                            <>
                              <span className="sr-only">{who}: </span>Label
                            </>,
                            (p) => (
                              <input
                                {...p}
                                value={row.label}
                                onChange={(e) => setRow(si, ri, { label: e.target.value })}
                              />
                            ),
                          )}
                          {field(
                            `${rp}.seats`,
                            <>
                              <span className="sr-only">{who}: </span>Seats
                            </>,
                            (p) => (
                              <input
                                {...p}
                                inputMode="numeric"
                                value={row.seats}
                                onChange={(e) => setRow(si, ri, { seats: e.target.value })}
                              />
                            ),
                          )}
                          {field(
                            `${rp}.offset`,
                            <>
                              <span className="sr-only">{who}: </span>Offset
                            </>,
                            (p) => (
                              <input
                                {...p}
                                inputMode="decimal"
                                value={row.offset}
                                onChange={(e) => setRow(si, ri, { offset: e.target.value })}
                              />
                            ),
                            'In seat widths',
                          )}
                          {field(
                            `${rp}.aislesAfter`,
                            <>
                              <span className="sr-only">{who}: </span>Aisles after
                            </>,
                            (p) => (
                              <input
                                {...p}
                                value={row.aislesAfter}
                                onChange={(e) => setRow(si, ri, { aislesAfter: e.target.value })}
                              />
                            ),
                            'Seat positions, e.g. 4, 8',
                          )}
                          {field(
                            `${rp}.wheelchair`,
                            <>
                              <span className="sr-only">{who}: </span>Wheelchair
                            </>,
                            (p) => (
                              <input
                                {...p}
                                value={row.wheelchair}
                                onChange={(e) => setRow(si, ri, { wheelchair: e.target.value })}
                              />
                            ),
                            'Seat numbers',
                          )}
                          {field(
                            `${rp}.companion`,
                            <>
                              <span className="sr-only">{who}: </span>Companion
                            </>,
                            (p) => (
                              <input
                                {...p}
                                value={row.companion}
                                onChange={(e) => setRow(si, ri, { companion: e.target.value })}
                              />
                            ),
                            'Seat numbers',
                          )}
                          {field(
                            `${rp}.restrictedView`,
                            <>
                              <span className="sr-only">{who}: </span>Restricted view
                            </>,
                            (p) => (
                              <input
                                {...p}
                                value={row.restrictedView}
                                onChange={(e) => setRow(si, ri, { restrictedView: e.target.value })}
                              />
                            ),
                            'Seat numbers',
                          )}
                          <div className="flex items-end">
                            <RemoveButton
                              what={who}
                              onClick={() =>
                                change((d) => ({
                                  ...d,
                                  sections: d.sections.map((s, i) =>
                                    i === si ? { ...s, rows: s.rows.filter((_, j) => j !== ri) } : s,
                                  ),
                                }))
                              }
                            />
                          </div>
                        </div>
                      </div>
                    );
                  })}
                  <Button type="button" variant="secondary" onClick={() => addRow(si)}>
                    Add row<span className="sr-only"> to {title}</span>
                  </Button>
                </div>
              )}
              <div className="mt-4 border-t border-slate-100 pt-3 text-right">
                <button
                  type="button"
                  className="min-h-11 rounded-md px-3 text-sm font-semibold text-red-700 hover:bg-red-50 disabled:text-slate-400"
                  disabled={draft.sections.length === 1}
                  onClick={() => change((d) => ({ ...d, sections: d.sections.filter((_, i) => i !== si) }))}
                >
                  Remove {title.toLowerCase()}
                </button>
              </div>
            </fieldset>
          );
        })}
        {errorAt(errors, 'sections') && !draft.sections.length && (
          <p className="text-sm text-red-700">{errorAt(errors, 'sections')}</p>
        )}

        <div className="flex flex-wrap gap-3">
          <Button type="button" variant="secondary" onClick={addSection}>
            Add section
          </Button>
        </div>

        <div className="sticky bottom-0 -mx-4 flex flex-wrap items-center gap-3 border-t border-slate-200 bg-white/95 px-4 py-3 backdrop-blur sm:mx-0 sm:rounded-xl sm:ring-1 sm:ring-slate-200">
          <Button type="submit" disabled={status.kind === 'saving'}>
            {status.kind === 'saving' ? 'Saving…' : 'Save venue'}
          </Button>
          <p className="text-sm text-slate-700">
            {countOf(seatCount, 'seat', 'seats')} in {countOf(lastGood?.sections.length ?? 0, 'section', 'sections')}
          </p>
        </div>
        <div aria-live="polite">
          {status.message && (
            <p
              role={status.kind === 'error' ? 'alert' : 'status'}
              className={`rounded-lg px-4 py-3 text-sm ring-1 ${status.kind === 'error' ? 'bg-red-50 text-red-900 ring-red-200' : 'bg-blue-50 text-blue-900 ring-blue-200'}`}
            >
              {status.message}
            </p>
          )}
          {fileErrors.length > 0 && (
            <ul className="mt-2 list-disc space-y-1 pl-6 text-sm text-red-800" aria-label="Problems in the layout file">
              {fileErrors.map((e, i) => (
                <li key={i}>
                  Line {e.line}
                  {e.column ? `, column ${e.column}` : ''}
                  {e.path ? ` (${e.path})` : ''}: {e.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      </form>

      <section aria-labelledby={`${id}-preview`} className="space-y-3 lg:sticky lg:top-20 lg:self-start">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id={`${id}-preview`} className="text-lg font-semibold">
            Preview
          </h2>
          <div className="flex flex-wrap items-center gap-2">
            <label
              className={`${'inline-flex min-h-11 cursor-pointer items-center rounded-lg bg-white px-4 py-2 text-sm font-semibold text-slate-900 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 focus-within:outline-2 focus-within:outline-brand-600'}`}
            >
              Import layout file
              <input
                type="file"
                accept="application/json,.json"
                className="sr-only"
                onChange={(e) => void importFile(e)}
              />
            </label>
            <Button type="button" variant="secondary" onClick={exportFile} disabled={!checked.layout}>
              Export JSON
            </Button>
          </div>
        </div>
        {!previewable.layout && lastGood && (
          <p className="text-sm text-amber-800">
            The preview shows the last valid layout; fix the marked fields to update it.
          </p>
        )}
        {preview ? (
          <SeatMap layout={preview} codes={codes} label={`Preview of ${lastGood?.name || 'the venue'}`} />
        ) : (
          <div className="grid h-80 place-items-center rounded-xl bg-white text-center text-slate-600 ring-1 ring-slate-200">
            <p className="max-w-xs">Give a section at least one row to see the preview.</p>
          </div>
        )}
      </section>
    </div>
  );
}
