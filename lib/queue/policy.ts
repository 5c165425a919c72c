import type { QueuePolicy } from './store/port';

/** What the waiting room needs from an event row. */
export type QueueEvent = {
  id: string;
  name: string;
  status: 'draft' | 'published' | 'cancelled';
  onSaleAt: Date;
  startsAt: Date;
  prequeueOpensAt: Date | null;
  queueCapacity: number;
  admissionRatePerMinute: number;
  shoppingWindowMinutes: number;
  currency: string;
  timezone: string;
};

/** Without a configured opening, the pre-queue opens this long before the on-sale. */
export const DEFAULT_PREQUEUE_LEAD_MS = 30 * 60_000;

export type QueuePhase = 'not-open' | 'prequeue' | 'on-sale' | 'closed';

export const prequeueOpensAt = (event: QueueEvent): Date =>
  event.prequeueOpensAt ?? new Date(event.onSaleAt.getTime() - DEFAULT_PREQUEUE_LEAD_MS);

/** Before the pre-queue opens nobody can join; before the on-sale arrivals are drawn; after the start nothing sells. */
export function queuePhase(event: QueueEvent, now: Date): QueuePhase {
  if (event.status !== 'published' || event.startsAt <= now) return 'closed';
  if (event.onSaleAt <= now) return 'on-sale';
  return prequeueOpensAt(event) <= now ? 'prequeue' : 'not-open';
}

/**
 * The coordinator's view of the settings. The bucket holds five seconds of admissions (at least one), so a trickle
 * of arrivals is admitted at once and an on-sale rush is spread at the configured rate.
 */
export function queuePolicy(event: QueueEvent, now: Date): QueuePolicy {
  return {
    capacity: event.queueCapacity,
    ratePerMinute: event.admissionRatePerMinute,
    burst: Math.max(1, Math.ceil(event.admissionRatePerMinute / 12)),
    windowMs: event.shoppingWindowMinutes * 60_000,
    prequeue: queuePhase(event, now) !== 'on-sale',
  };
}
