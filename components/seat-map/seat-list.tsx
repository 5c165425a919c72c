'use client';

import { useId, useMemo, useState } from 'react';
import type { LayoutDocument } from '@/lib/contracts/inventory';
import { CODE } from './availability';
import { CheckboxField, LabelledSelect } from './fields';
import { describeSeat, sectionName, seatFeatures, type SeatState } from './labels';
import { seatMapModel } from './model';
import { stateOf } from './seat-map';
import { SeatIcon } from './seat-icon';

export type SeatListProps = {
  layout: LayoutDocument;
  codes: Uint8Array;
  selected?: ReadonlySet<number>;
  onSeatActivate?: (position: number) => void;
  canActivate?: (position: number, state: SeatState) => boolean;
  locale?: string;
  /** The section shown first, e.g. the one the map was zoomed into. */
  section?: number;
  onSectionChange?: (section: number) => void;
};

const EMPTY = new Set<number>();
const defaultCanActivate = (_: number, state: SeatState) => state === 'available' || state === 'selected';

/**
 * The seat map as plain HTML: one section at a time, rows as lists of seat buttons with full labels. The
 * alternative to the canvas for screen readers, switch access and anyone who prefers a list.
 */
export function SeatList({
  layout,
  codes,
  selected = EMPTY,
  onSeatActivate,
  canActivate = defaultCanActivate,
  locale,
  section: initial,
  onSectionChange,
}: SeatListProps) {
  const model = useMemo(() => seatMapModel(layout), [layout]);
  const [ownSection, setOwnSection] = useState(initial ?? 0);
  const section = onSectionChange && initial !== undefined ? initial : ownSection;
  const [onlyAvailable, setOnlyAvailable] = useState(true);
  const id = useId();
  const tierColor = (p: number) => layout.tiers[layout.seats.tier[p]!]?.color;

  const changeSection = (s: number) => {
    setOwnSection(s);
    onSectionChange?.(s);
  };

  const rows = model.sectionRows[section] ?? [];
  const freeIn = (s: number) => {
    let n = 0;
    for (const r of model.sectionRows[s]!) for (const p of model.rowSeats[r]!) if (codes[p] === CODE.available) n++;
    return n;
  };

  return (
    <section aria-label="List of seats" className="rounded-xl bg-white p-4 ring-1 ring-slate-200">
      <div className="flex flex-wrap items-end gap-4">
        <LabelledSelect
          id={`${id}-section`}
          label="Section"
          value={section}
          onChange={(v) => changeSection(Number(v))}
          className="px-3"
        >
          {layout.sections.map((s, i) => (
            <option key={s.label} value={i}>
              {sectionName(layout, i)} — {freeIn(i).toLocaleString(locale)} available
            </option>
          ))}
        </LabelledSelect>
        <CheckboxField checked={onlyAvailable} onChange={setOnlyAvailable}>
          Only show seats I can pick
        </CheckboxField>
      </div>

      <div className="mt-4 space-y-4">
        {rows.map((r) => {
          const seats = model.rowSeats[r]!.filter((p) => !onlyAvailable || canActivate(p, stateOf(p, codes, selected)));
          const rowLabel = `${sectionName(layout, section)}, row ${layout.rows[r]!.label}`;
          if (!seats.length) return null;
          return (
            <section key={r} aria-label={rowLabel}>
              <h2 className="text-sm font-semibold text-slate-800">
                Row {layout.rows[r]!.label}{' '}
                <span className="font-normal text-slate-500">
                  · {seats.length} {onlyAvailable ? 'to pick' : 'seats'}
                </span>
              </h2>
              <ul className="mt-1 flex flex-wrap gap-1.5">
                {seats.map((p) => {
                  const state = stateOf(p, codes, selected);
                  const enabled = Boolean(onSeatActivate) && canActivate(p, state);
                  const features = seatFeatures(layout, p);
                  return (
                    <li key={p}>
                      <button
                        type="button"
                        aria-label={describeSeat(layout, p, state, locale)}
                        aria-pressed={onSeatActivate ? state === 'selected' || state === 'yours' : undefined}
                        disabled={!enabled}
                        onClick={() => onSeatActivate?.(p)}
                        className="flex min-h-11 min-w-11 items-center justify-center gap-1 rounded-lg px-2 text-sm font-semibold tabular-nums ring-1 ring-slate-300 hover:bg-slate-50 disabled:cursor-not-allowed disabled:bg-slate-50 disabled:text-slate-500 aria-pressed:bg-amber-100 aria-pressed:ring-2 aria-pressed:ring-slate-900"
                      >
                        <SeatIcon state={state} color={tierColor(p)} size={16} />
                        {layout.seats.label[p]}
                        {features.length > 0 && (
                          <span aria-hidden="true" className="text-xs font-bold text-slate-600">
                            {features
                              .map((f) => (f === 'wheelchair space' ? 'W' : f === 'companion seat' ? 'C' : 'RV'))
                              .join(' ')}
                          </span>
                        )}
                      </button>
                    </li>
                  );
                })}
              </ul>
            </section>
          );
        })}
        {rows.every(
          (r) => !model.rowSeats[r]!.some((p) => !onlyAvailable || canActivate(p, stateOf(p, codes, selected))),
        ) && (
          <p className="rounded-lg bg-slate-50 p-3 text-sm text-slate-700">
            No seats to pick in this section. Choose another section, or show every seat.
          </p>
        )}
      </div>
    </section>
  );
}
