import type { RefundPolicy } from '@/db/schema/events';

/**
 * The share of an order refunded when it is cancelled now, by the event's policy: the best step whose
 * `hoursBefore` the cancellation still meets. [{24, 100}, {2, 50}] means full refund up to 24 hours before the
 * start, half up to 2 hours before, nothing after (and nothing once the event has started).
 */
export function refundPercent(policy: RefundPolicy, startsAt: Date, now: Date): number {
  const hoursLeft = (startsAt.getTime() - now.getTime()) / 3_600_000;
  if (hoursLeft <= 0) return 0;
  let percent = 0;
  for (const step of policy) {
    if (hoursLeft >= step.hoursBefore) percent = Math.max(percent, Math.min(100, Math.max(0, step.percent)));
  }
  return percent;
}

/** Rounded down: a refund never exceeds the policy. */
export const refundAmount = (totalMinor: number, percent: number) => Math.floor((totalMinor * percent) / 100);

/** "Full refund up to 24 hours before the event, 50% up to 2 hours before, no refund after." */
export function describeRefundPolicy(policy: RefundPolicy): string {
  const steps = [...policy].filter((s) => s.percent > 0).sort((a, b) => b.hoursBefore - a.hoursBefore);
  if (steps.length === 0) return 'Tickets for this event are not refundable.';
  const parts = steps.map(
    (s) =>
      `${s.percent >= 100 ? 'a full refund' : `${s.percent}% back`} up to ${hours(s.hoursBefore)} before the event`,
  );
  return `Cancel for ${parts.join(', ')}; no refund after that.`;
}

const hours = (h: number) => (h % 24 === 0 && h >= 48 ? `${h / 24} days` : h === 1 ? '1 hour' : `${h} hours`);
