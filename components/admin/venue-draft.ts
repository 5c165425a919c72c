import { venueDetails, type VenueLayout } from '@/lib/contracts/venue-layout';

/**
 * What the venue builder edits: the layout document's fields as the text the inputs hold, so a half-typed value
 * ("1, 2,") is kept as typed and the schema reports it instead of the input swallowing it.
 */
export type RowDraft = {
  key: string;
  label: string;
  seats: string;
  offset: string;
  aislesAfter: string;
  wheelchair: string;
  companion: string;
  restrictedView: string;
};
export type SectionDraft = {
  key: string;
  label: string;
  name: string;
  x: string;
  y: string;
  rotation: string;
  curveRadius: string;
  seatSpacing: string;
  rowSpacing: string;
  numbering: 'ltr' | 'rtl';
  firstSeatNumber: string;
  rows: RowDraft[];
};
export type StageDraft = {
  mode: 'auto' | 'none' | 'fixed';
  label: string;
  fixed?: { x: number; y: number; width: number; height: number };
};
export type VenueDraft = {
  name: string;
  city: string;
  country: string;
  address: string;
  timezone: string;
  description: string;
  stage: StageDraft;
  sections: SectionDraft[];
};

let keys = 0;
const key = () => `k${++keys}`;

export const newRow = (label: string, seats = 10): RowDraft => ({
  key: key(),
  label,
  seats: String(seats),
  offset: '0',
  aislesAfter: '',
  wheelchair: '',
  companion: '',
  restrictedView: '',
});

export function newSection(index: number, previous?: SectionDraft): SectionDraft {
  const label = String.fromCharCode(65 + (index % 26)) + (index >= 26 ? String(Math.floor(index / 26)) : '');
  // Beside the previous section, with a gap of four seats.
  const widest = previous
    ? Math.max(...previous.rows.map((r) => Number(r.seats) + r.aislesAfter.split(',').filter((s) => s.trim()).length))
    : 0;
  const x = previous ? Number(previous.x) + (widest + 4) * (Number(previous.seatSpacing) || 10) : 0;
  return {
    key: key(),
    label,
    name: `Section ${label}`,
    x: String(Math.round(x)),
    y: previous?.y ?? '0',
    rotation: '0',
    curveRadius: '0',
    seatSpacing: '10',
    rowSpacing: '12',
    numbering: 'ltr',
    firstSeatNumber: '1',
    rows: [newRow('A'), newRow('B')],
  };
}

export const emptyDraft = (): VenueDraft => ({
  name: '',
  city: '',
  country: 'US',
  address: '',
  timezone: 'UTC',
  description: '',
  stage: { mode: 'auto', label: 'Stage' },
  sections: [newSection(0)],
});

/** The label after this one: 9 -> 10, A -> B (I and O are skipped, as halls do), Z -> AA, anything else gets "2". */
export function nextLabel(label: string): string {
  if (/^\d+$/.test(label)) return String(Number(label) + 1);
  const m = /^(.*?)([A-Z])$/.exec(label);
  if (m) {
    if (m[2] === 'Z') return `${m[1]}AA`;
    let c = m[2]!.charCodeAt(0) + 1;
    if (c === 73 || c === 79) c++;
    return `${m[1]}${String.fromCharCode(c)}`;
  }
  return `${label}2`;
}

const numberList = (text: string) =>
  text
    .split(/[,\s]+/)
    .filter(Boolean)
    .map((t) => Number(t));
const num = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));

/** The draft as a layout document for the schema (invalid values stay invalid, so the schema can name them). */
export function draftToLayout(
  draft: VenueDraft,
  stageAuto?: { x: number; y: number; width: number; height: number },
): Record<string, unknown> {
  const stage =
    draft.stage.mode === 'none'
      ? undefined
      : draft.stage.mode === 'fixed' && draft.stage.fixed
        ? { ...draft.stage.fixed, label: draft.stage.label }
        : stageAuto
          ? { ...stageAuto, label: draft.stage.label }
          : undefined;
  return {
    schema: 'admitone.venue-layout/v1',
    name: draft.name,
    city: draft.city,
    country: draft.country,
    address: draft.address,
    timezone: draft.timezone,
    description: draft.description,
    ...(stage ? { stage } : {}),
    sections: draft.sections.map((s) => ({
      label: s.label,
      name: s.name,
      origin: { x: num(s.x), y: num(s.y) },
      rotation: num(s.rotation),
      curveRadius: num(s.curveRadius),
      seatSpacing: num(s.seatSpacing),
      rowSpacing: num(s.rowSpacing),
      numbering: s.numbering,
      firstSeatNumber: num(s.firstSeatNumber),
      rows: s.rows.map((r) => ({
        label: r.label,
        seats: num(r.seats),
        offset: num(r.offset),
        aislesAfter: numberList(r.aislesAfter),
        wheelchair: numberList(r.wheelchair),
        companion: numberList(r.companion),
        restrictedView: numberList(r.restrictedView),
      })),
    })),
  };
}

export function layoutToDraft(layout: VenueLayout): VenueDraft {
  return {
    ...venueDetails(layout),
    stage: layout.stage
      ? {
          mode: 'fixed',
          label: layout.stage.label,
          fixed: { x: layout.stage.x, y: layout.stage.y, width: layout.stage.width, height: layout.stage.height },
        }
      : { mode: 'none', label: 'Stage' },
    sections: layout.sections.map((s) => ({
      key: key(),
      label: s.label,
      name: s.name,
      x: String(s.origin.x),
      y: String(s.origin.y),
      rotation: String(s.rotation),
      curveRadius: String(s.curveRadius),
      seatSpacing: String(s.seatSpacing),
      rowSpacing: String(s.rowSpacing),
      numbering: s.numbering,
      firstSeatNumber: String(s.firstSeatNumber),
      rows: s.rows.map((r) => ({
        key: key(),
        label: r.label,
        seats: String(r.seats),
        offset: String(r.offset),
        aislesAfter: r.aislesAfter.join(', '),
        wheelchair: r.wheelchair.join(', '),
        companion: r.companion.join(', '),
        restrictedView: r.restrictedView.join(', '),
      })),
    })),
  };
}
