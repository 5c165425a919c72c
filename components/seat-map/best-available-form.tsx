'use client';

import { useId, useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import type { LayoutDocument } from '@/lib/contracts/inventory';
import { formatMoney } from '@/lib/format';
import { bestAvailable } from '@/lib/inventory/best-available';
import { CODE } from './availability';
import { CheckboxField, LabelledSelect } from './fields';
import { listSeats, sectionName } from './labels';

export type BestAvailableFormProps = {
  layout: LayoutDocument;
  codes: Uint8Array;
  selected: ReadonlySet<number>;
  perOrderLimit: number;
  locale: string;
  /** Called with the seats found (empty when none) and a sentence saying what was found. */
  onFound: (positions: number[], message: string) => void;
};

/** "Best available": N seats, optionally in one price tier or section, or including a wheelchair space. */
export function BestAvailableForm({ layout, codes, selected, perOrderLimit, locale, onFound }: BestAvailableFormProps) {
  const id = useId();
  const [quantity, setQuantity] = useState(Math.min(2, perOrderLimit));
  const [tier, setTier] = useState('');
  const [section, setSection] = useState('');
  const [accessible, setAccessible] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    // The current selection is replaced, so its seats count as free for the search.
    const result = bestAvailable(layout, (p) => codes[p] === CODE.available || selected.has(p), {
      quantity,
      tier: tier === '' ? undefined : Number(tier),
      section: section === '' ? undefined : Number(section),
      accessible,
    });
    if (!result) {
      onFound(
        [],
        `No ${quantity} ${quantity === 1 ? 'seat matches' : 'seats match'} right now. Try fewer seats, another price or any section.`,
      );
      return;
    }
    const how =
      result.arrangement === 'row'
        ? `${quantity === 1 ? 'Found' : `Found ${quantity} seats together`}`
        : result.arrangement === 'rows'
          ? `No ${quantity} seats together in one row; found ${quantity} in two rows, one behind the other`
          : `No ${quantity} seats together; found the ${quantity} nearest seats in one section`;
    onFound(
      result.positions,
      `${how}: ${listSeats(layout, result.positions)}. They are selected, not yet held: press Hold to keep them.`,
    );
  };

  return (
    <form
      onSubmit={submit}
      className="space-y-3 rounded-xl bg-white p-4 ring-1 ring-slate-200"
      aria-labelledby={`${id}-title`}
    >
      <h2 id={`${id}-title`} className="text-lg font-bold">
        Best available
      </h2>
      <div className="grid grid-cols-2 gap-3">
        <LabelledSelect
          id={`${id}-qty`}
          label="Seats"
          value={quantity}
          onChange={(v) => setQuantity(Number(v))}
          className="w-full px-2"
        >
          {Array.from({ length: perOrderLimit }, (_, i) => i + 1).map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </LabelledSelect>
        <LabelledSelect id={`${id}-tier`} label="Price" value={tier} onChange={setTier} className="w-full px-2">
          <option value="">Any price</option>
          {layout.tiers.map((t, i) => (
            <option key={t.id} value={i}>
              {t.name} ({formatMoney(t.priceMinor, layout.currency, locale)})
            </option>
          ))}
        </LabelledSelect>
      </div>
      <LabelledSelect
        id={`${id}-section`}
        label="Section"
        value={section}
        onChange={setSection}
        className="w-full px-2"
      >
        <option value="">Any section</option>
        {layout.sections.map((s, i) => (
          <option key={s.label} value={i}>
            {sectionName(layout, i)}
          </option>
        ))}
      </LabelledSelect>
      <CheckboxField checked={accessible} onChange={setAccessible}>
        I need a wheelchair space
      </CheckboxField>
      <Button type="submit" variant="secondary" className="w-full">
        Find seats
      </Button>
    </form>
  );
}
