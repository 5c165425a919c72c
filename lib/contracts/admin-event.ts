import { z } from 'zod';
import { EVENT_CATEGORIES } from './categories';
import { currencySchema } from './currency';
import { timeZoneSchema } from './time-zone';
import { TAX_MODES } from './pricing';

const refundPolicySchema = z
  .array(
    z.object({
      hoursBefore: z
        .number()
        .int()
        .min(0)
        .max(24 * 365),
      percent: z.number().int().min(0).max(100),
    }),
  )
  .max(10)
  .default([
    { hoursBefore: 24, percent: 100 },
    { hoursBefore: 2, percent: 50 },
  ]);

const priceTierInput = z.object({
  name: z.string().trim().min(1).max(40),
  priceMinor: z.number().int().min(0).max(10_000_000),
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'use a colour like #2563eb')
    .default('#2563eb'),
});

const tierAssignmentInput = z.object({
  tier: z.string().trim().min(1).max(40),
  sectionLabel: z.string().trim().min(1).max(40),
  /** Omit to price the whole section; a row's assignment overrides its section's. */
  rowLabel: z.string().trim().min(1).max(10).optional(),
});

/** The fields of an event, before the checks that span several of them. */
export const eventFieldsSchema = z.object({
  name: z.string().trim().min(2).max(140),
  performer: z.string().trim().min(1).max(140),
  category: z.enum(EVENT_CATEGORIES),
  description: z.string().trim().max(5000).default(''),
  imageUrl: z.string().url().max(500).nullish(),
  venueId: z.string().uuid(),
  startsAt: z.coerce.date(),
  timezone: timeZoneSchema.default('UTC'),
  onSaleAt: z.coerce.date(),
  /** What buyers pay in; every amount of the event is in its minor units (¥5,000 is 5000, €12.50 is 1250). */
  currency: currencySchema.default('USD'),
  highDemand: z.boolean().default(false),
  perOrderLimit: z.number().int().min(1).max(50).default(6),
  perAccountLimit: z.number().int().min(1).max(200).default(8),
  holdMinutes: z.number().int().min(1).max(60).default(8),
  /** How long seats offered to the next person on the waitlist stay held for them to pay. */
  waitlistOfferMinutes: z.number().int().min(5).max(1440).default(30),
  feePerTicketMinor: z.number().int().min(0).max(1_000_000).default(0),
  /** Tax (decision 040): none, included in the prices, or added at checkout; the rate in basis points (2000 = 20%). */
  taxMode: z.enum(TAX_MODES).default('none'),
  taxRateBp: z.number().int().min(0, 'the rate cannot be negative').max(10_000, 'at most 100%').default(0),
  taxLabel: z.string().trim().max(40).default(''),
  taxFees: z.boolean().default(false),
  queueCapacity: z.number().int().min(1).max(1_000_000).default(500),
  admissionRatePerMinute: z.number().int().min(1).max(1_000_000).default(300),
  shoppingWindowMinutes: z.number().int().min(1).max(120).default(15),
  prequeueOpensAt: z.coerce.date().nullish(),
  refundPolicy: refundPolicySchema,
  tiers: z.array(priceTierInput).min(1, 'add at least one price tier').max(20),
  assignments: z.array(tierAssignmentInput).max(2000).default([]),
});

/** What an organizer fills in to create or edit an event (drafts can change everything). */
export const eventInputSchema = eventFieldsSchema.superRefine((e, ctx) => {
  if (e.onSaleAt > e.startsAt)
    ctx.addIssue({ code: 'custom', path: ['onSaleAt'], message: 'sales must open before the event starts' });
  if (e.taxMode !== 'none' && e.taxRateBp === 0)
    ctx.addIssue({ code: 'custom', path: ['taxRateBp'], message: 'give the tax rate, or choose no tax' });
  if (e.taxMode !== 'none' && !e.taxLabel)
    ctx.addIssue({ code: 'custom', path: ['taxLabel'], message: 'name the tax as buyers know it, e.g. VAT' });
  if (e.perAccountLimit < e.perOrderLimit)
    ctx.addIssue({ code: 'custom', path: ['perAccountLimit'], message: 'must be at least the per-order limit' });
  if (e.prequeueOpensAt && e.prequeueOpensAt > e.onSaleAt)
    ctx.addIssue({ code: 'custom', path: ['prequeueOpensAt'], message: 'the pre-queue must open before the on-sale' });
  const names = new Set<string>();
  e.tiers.forEach((t, i) => {
    if (names.has(t.name.toLowerCase()))
      ctx.addIssue({ code: 'custom', path: ['tiers', i, 'name'], message: `tier "${t.name}" is listed twice` });
    names.add(t.name.toLowerCase());
  });
  e.assignments.forEach((a, i) => {
    if (!names.has(a.tier.toLowerCase()))
      ctx.addIssue({ code: 'custom', path: ['assignments', i, 'tier'], message: `no tier named "${a.tier}"` });
  });
});
export type EventInput = z.input<typeof eventInputSchema>;

/**
 * An edit: any subset of the fields. The server merges it over the stored event and validates the whole with
 * eventInputSchema. After publishing, the fields in PUBLISHED_LOCKED_FIELDS are refused (sold seats keep their
 * venue, prices and currency).
 */
export const eventPatchSchema = eventFieldsSchema.partial().strict();
export type EventPatch = z.input<typeof eventPatchSchema>;

export const PUBLISHED_LOCKED_FIELDS = [
  'venueId',
  'currency',
  'tiers',
  'assignments',
] as const satisfies readonly (keyof EventPatch)[];

/** Box office: take seats off sale or put them back, with a reason for the audit log. */
export const seatBlockSchema = z.object({
  seatIds: z.array(z.number().int().positive()).min(1, 'pick at least one seat').max(5000),
  reason: z.string().trim().min(1, 'say why (e.g. "house seats", "camera position")').max(200),
});
export type SeatBlockInput = z.input<typeof seatBlockSchema>;
export type ParsedEventInput = z.output<typeof eventInputSchema>;
