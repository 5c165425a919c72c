import { z } from 'zod';

/** GET /api/admin/events/{id}/funnel: JSON (the dashboard) or `format=csv` (a download, one row per interval). */
export const funnelQuerySchema = z.object({ format: z.enum(['json', 'csv']).default('json') }).strict();

export const FUNNEL_STEPS = [
  { key: 'pageViews', label: 'Event page views' },
  { key: 'queueJoins', label: 'Joined the waiting room' },
  { key: 'admissions', label: 'Admitted to shop' },
  { key: 'holds', label: 'Held seats' },
  { key: 'checkouts', label: 'Started checkout' },
  { key: 'paid', label: 'Paid orders' },
] as const;
export type FunnelStepKey = (typeof FUNNEL_STEPS)[number]['key'];

const counts = z.object({
  pageViews: z.number().int(),
  queueJoins: z.number().int(),
  admissions: z.number().int(),
  holds: z.number().int(),
  checkouts: z.number().int(),
  paid: z.number().int(),
});
const abandoned = z.object({
  expired: z.number().int().describe('Holds that ran out of time without a payment attempt that failed'),
  released: z.number().int().describe('Holds the buyer let go (or the shopping window ended) before paying'),
  declined: z.number().int().describe('Holds that ended unpaid after a declined or failed payment'),
});

export const eventFunnelSchema = z.object({
  eventId: z.string(),
  /** Every step's count over the event's whole sale. */
  totals: counts,
  /** Each step as a share of the step before it, and of the first step; null when the step before counted nobody. */
  rates: z.array(
    z.object({
      step: z.enum(FUNNEL_STEPS.map((s) => s.key) as [FunnelStepKey, ...FunnelStepKey[]]),
      ofPrevious: z.number().nullable(),
      ofFirst: z.number().nullable(),
    }),
  ),
  abandoned,
  /** Holds still running: neither paid nor abandoned yet. */
  activeHolds: z.number().int(),
  /** The series' interval: a minute for a sale of up to two hours, an hour for up to a week, else a day. */
  bucket: z.enum(['minute', 'hour', 'day']),
  series: z.array(
    counts.extend(abandoned.shape).extend({ at: z.string().describe('Start of the interval (ISO 8601)') }),
  ),
  generatedAt: z.string(),
});
export type EventFunnel = z.infer<typeof eventFunnelSchema>;
