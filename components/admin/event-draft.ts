import { fromWallTime, toWallTime } from '@/lib/contracts/time-zone';
import { amountInputText, parseAmount } from '@/lib/pricing/money';

/** The event form's state: input text, converted to the API's shape on submit (times in the event's time zone). */
export type TierDraft = { key: string; name: string; price: string; color: string };
export type OverrideDraft = { key: string; sectionLabel: string; rowLabel: string; tier: string };
export type EventDraft = {
  name: string;
  performer: string;
  category: string;
  description: string;
  imageUrl: string;
  venueId: string;
  timezone: string;
  startsAt: string;
  onSaleAt: string;
  prequeueOpensAt: string;
  currency: string;
  highDemand: boolean;
  perOrderLimit: string;
  perAccountLimit: string;
  holdMinutes: string;
  waitlistOfferMinutes: string;
  fee: string;
  taxMode: 'none' | 'inclusive' | 'exclusive';
  /** Percent as typed, e.g. "20" or "8.875". */
  taxRate: string;
  taxLabel: string;
  taxFees: boolean;
  queueCapacity: string;
  admissionRatePerMinute: string;
  shoppingWindowMinutes: string;
  refundPolicy: { key: string; hoursBefore: string; percent: string }[];
  tiers: TierDraft[];
  /** Tier name per section label ('' = none). */
  sectionTiers: Record<string, string>;
  rowOverrides: OverrideDraft[];
};

/** The API's shape of an event (dates as ISO strings), as GET /api/admin/events/{id} answers. */
export type EventValues = {
  name: string;
  performer: string;
  category: string;
  description: string;
  imageUrl?: string | null;
  venueId: string;
  startsAt: string;
  timezone: string;
  onSaleAt: string;
  currency: string;
  highDemand: boolean;
  perOrderLimit: number;
  perAccountLimit: number;
  holdMinutes: number;
  waitlistOfferMinutes: number;
  feePerTicketMinor: number;
  taxMode?: 'none' | 'inclusive' | 'exclusive';
  taxRateBp?: number;
  taxLabel?: string;
  taxFees?: boolean;
  queueCapacity: number;
  admissionRatePerMinute: number;
  shoppingWindowMinutes: number;
  prequeueOpensAt?: string | null;
  refundPolicy: { hoursBefore: number; percent: number }[];
  tiers: { name: string; priceMinor: number; color: string }[];
  assignments: { tier: string; sectionLabel: string; rowLabel?: string }[];
};

let keys = 0;
const key = () => `e${++keys}`;
const TIER_COLORS = ['#2563eb', '#db2777', '#059669', '#d97706', '#7c3aed', '#0891b2'];

/** A price typed in the currency's major units ("¥5,000", "12,50"), in minor units; NaN when it is not one. */
const toMinor = (text: string, currency: string) => {
  const parsed = parseAmount(text, currency);
  return parsed.ok ? parsed.minor : Number.NaN;
};
const fromMinor = amountInputText;

/**
 * Why the draft's amounts cannot be read, by the API's field paths ("feePerTicketMinor", "tiers.0.priceMinor"):
 * said before the schema's checks, which would only see NaN.
 */
export function draftAmountErrors(d: EventDraft): Map<string, string> {
  const errors = new Map<string, string>();
  const check = (path: string, text: string) => {
    const parsed = parseAmount(text, d.currency);
    if (!parsed.ok) errors.set(path, parsed.message);
  };
  check('feePerTicketMinor', d.fee);
  d.tiers.forEach((t, i) => check(`tiers.${i}.priceMinor`, t.price));
  return errors;
}
const int = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));

export const newTier = (index: number): TierDraft => ({
  key: key(),
  name: index === 0 ? 'Standard' : `Tier ${index + 1}`,
  price: '',
  color: TIER_COLORS[index % TIER_COLORS.length]!,
});

export function emptyEventDraft(venueId: string, timezone: string): EventDraft {
  const now = Date.now();
  const wall = (ms: number) => toWallTime(new Date(ms), timezone).slice(0, 11) + '19:30';
  return {
    name: '',
    performer: '',
    category: 'concert',
    description: '',
    imageUrl: '',
    venueId,
    timezone,
    startsAt: wall(now + 30 * 86_400_000),
    onSaleAt: toWallTime(new Date(Math.ceil(now / 3_600_000) * 3_600_000), timezone),
    prequeueOpensAt: '',
    currency: 'USD',
    highDemand: false,
    perOrderLimit: '6',
    perAccountLimit: '8',
    holdMinutes: '8',
    waitlistOfferMinutes: '30',
    fee: '0',
    taxMode: 'none',
    taxRate: '',
    taxLabel: '',
    taxFees: false,
    queueCapacity: '500',
    admissionRatePerMinute: '300',
    shoppingWindowMinutes: '15',
    refundPolicy: [
      { key: key(), hoursBefore: '24', percent: '100' },
      { key: key(), hoursBefore: '2', percent: '50' },
    ],
    tiers: [newTier(0)],
    sectionTiers: {},
    rowOverrides: [],
  };
}

export function valuesToDraft(v: EventValues): EventDraft {
  const sectionTiers: Record<string, string> = {};
  const rowOverrides: OverrideDraft[] = [];
  for (const a of v.assignments) {
    if (a.rowLabel) rowOverrides.push({ key: key(), sectionLabel: a.sectionLabel, rowLabel: a.rowLabel, tier: a.tier });
    else sectionTiers[a.sectionLabel] = a.tier;
  }
  return {
    name: v.name,
    performer: v.performer,
    category: v.category,
    description: v.description,
    imageUrl: v.imageUrl ?? '',
    venueId: v.venueId,
    timezone: v.timezone,
    startsAt: toWallTime(new Date(v.startsAt), v.timezone),
    onSaleAt: toWallTime(new Date(v.onSaleAt), v.timezone),
    prequeueOpensAt: v.prequeueOpensAt ? toWallTime(new Date(v.prequeueOpensAt), v.timezone) : '',
    currency: v.currency,
    highDemand: v.highDemand,
    perOrderLimit: String(v.perOrderLimit),
    perAccountLimit: String(v.perAccountLimit),
    holdMinutes: String(v.holdMinutes),
    waitlistOfferMinutes: String(v.waitlistOfferMinutes),
    fee: fromMinor(v.feePerTicketMinor, v.currency),
    taxMode: v.taxMode ?? 'none',
    taxRate: v.taxRateBp ? String(v.taxRateBp / 100) : '',
    taxLabel: v.taxLabel ?? '',
    taxFees: v.taxFees ?? false,
    queueCapacity: String(v.queueCapacity),
    admissionRatePerMinute: String(v.admissionRatePerMinute),
    shoppingWindowMinutes: String(v.shoppingWindowMinutes),
    refundPolicy: v.refundPolicy.map((r) => ({
      key: key(),
      hoursBefore: String(r.hoursBefore),
      percent: String(r.percent),
    })),
    tiers: v.tiers.map((t) => ({
      key: key(),
      name: t.name,
      price: fromMinor(t.priceMinor, v.currency),
      color: t.color,
    })),
    sectionTiers,
    rowOverrides,
  };
}

/** The draft as the API body. A time that cannot be read in the chosen zone is sent as text the schema refuses. */
export function draftToBody(d: EventDraft): Record<string, unknown> {
  const at = (wall: string) => fromWallTime(wall, d.timezone)?.toISOString() ?? (wall ? `${wall} (${d.timezone})` : '');
  return {
    name: d.name,
    performer: d.performer,
    category: d.category,
    description: d.description,
    imageUrl: d.imageUrl.trim() || null,
    venueId: d.venueId,
    timezone: d.timezone,
    startsAt: at(d.startsAt),
    onSaleAt: at(d.onSaleAt),
    prequeueOpensAt: d.prequeueOpensAt ? at(d.prequeueOpensAt) : null,
    currency: d.currency,
    highDemand: d.highDemand,
    perOrderLimit: int(d.perOrderLimit),
    perAccountLimit: int(d.perAccountLimit),
    holdMinutes: int(d.holdMinutes),
    waitlistOfferMinutes: int(d.waitlistOfferMinutes),
    feePerTicketMinor: toMinor(d.fee, d.currency),
    taxMode: d.taxMode,
    taxRateBp: d.taxMode === 'none' ? 0 : d.taxRate.trim() === '' ? Number.NaN : Math.round(Number(d.taxRate) * 100),
    taxLabel: d.taxMode === 'none' ? '' : d.taxLabel.trim(),
    taxFees: d.taxMode !== 'none' && d.taxFees,
    queueCapacity: int(d.queueCapacity),
    admissionRatePerMinute: int(d.admissionRatePerMinute),
    shoppingWindowMinutes: int(d.shoppingWindowMinutes),
    refundPolicy: d.refundPolicy.map((r) => ({ hoursBefore: int(r.hoursBefore), percent: int(r.percent) })),
    tiers: d.tiers.map((t) => ({ name: t.name, priceMinor: toMinor(t.price, d.currency), color: t.color })),
    assignments: [
      ...Object.entries(d.sectionTiers)
        .filter(([, tier]) => tier)
        .map(([sectionLabel, tier]) => ({ tier, sectionLabel })),
      ...d.rowOverrides
        .filter((o) => o.tier && o.sectionLabel && o.rowLabel)
        .map((o) => ({ tier: o.tier, sectionLabel: o.sectionLabel, rowLabel: o.rowLabel })),
    ],
  };
}
