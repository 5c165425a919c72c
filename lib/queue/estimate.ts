import type { QueueReport } from './store/port';
import type { QueueStatus } from '@/lib/contracts/queue';
import type { QueueEvent } from './policy';

/** Less than a minute of admissions says little (the opening burst); until then the estimate comes from the settings. */
const MIN_MEASURED_MS = 60_000;

/**
 * Admissions per minute: measured over the last minutes when there is a minute of history, capped by the configured
 * rate; otherwise what the settings allow at most in steady state (capacity turns over once per shopping window).
 */
export function admissionRate(
  event: Pick<QueueEvent, 'admissionRatePerMinute' | 'queueCapacity' | 'shoppingWindowMinutes'>,
  recent: QueueReport['recent'],
  nowMs: number,
): { ratePerMinute: number; basis: 'measured' | 'settings' } {
  const elapsed = nowMs - recent.sinceMs;
  if (recent.count > 0 && elapsed >= MIN_MEASURED_MS) {
    return {
      ratePerMinute: Math.min(event.admissionRatePerMinute, (recent.count * 60_000) / elapsed),
      basis: 'measured',
    };
  }
  return {
    ratePerMinute: Math.min(event.admissionRatePerMinute, event.queueCapacity / event.shoppingWindowMinutes),
    basis: 'settings',
  };
}

/**
 * Time until `position` is admitted. Only free shopping places are filled at the configured rate; every other
 * place needs a shopper to leave first (checkout done, gave up, or their window ran out), at the measured rate or
 * the settings' steady state. Shoppers beyond the capacity (admitted before it was lowered, or on the strength of
 * their token) leave before anyone new goes in, so they count too. The rate reported is the average that gives this
 * estimate, so the page's "N per minute" and its ETA agree; `waitsForShoppers` says that admission is waiting for
 * shoppers to finish rather than for the line to be let in.
 */
export function estimateWait(
  position: number,
  input: { free: number; configuredPerMinute: number; rate: { ratePerMinute: number; basis: 'measured' | 'settings' } },
): NonNullable<QueueStatus['eta']> {
  const fast = Math.max(input.configuredPerMinute, 0.01);
  const slow = Math.max(input.rate.ratePerMinute, 0.01);
  const first = Math.min(position, Math.max(0, input.free));
  const leaving = position - first + Math.max(0, -input.free);
  const minutes = first / fast + leaving / slow;
  const average = minutes > 0 ? position / minutes : fast;
  return {
    seconds: Math.ceil(minutes * 60),
    ratePerMinute: Math.round(average * 10) / 10,
    basis: input.rate.basis,
    waitsForShoppers: leaving > 0,
  };
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/**
 * How long the client should wait before asking again: often near the front and around the on-sale, rarely far
 * back in a long line (each poll costs the server; the position there moves slowly anyway). A visitor in line asks
 * about three times per remaining wait, so the polls of a whole line grow with the admission rate and only slowly
 * with its length: 20,000 people admitted at 1,800 a minute ask some 640 times a second at first, where a fixed
 * 2-15 s gave 1,300+ (docs/bench.md, bench:onsale). The wait that sets the pace is the shortest possible one, at the
 * configured admission rate, not the estimate shown (which may wait for shoppers to finish): a place is taken as soon
 * as it is given, and someone let in who does not ask for a minute holds a shopping place unused that long (the
 * full-size on-sale stalled for most of each minute that way).
 */
export function pollAfter(
  status: Pick<QueueStatus, 'state' | 'position' | 'eta'>,
  at: { onSale: number; opens: number; admissionRatePerMinute?: number },
): number {
  switch (status.state) {
    case 'waiting': {
      const position = status.position ?? 0;
      if (position <= 20) return 2_000;
      const earliestMs = at.admissionRatePerMinute
        ? (position / at.admissionRatePerMinute) * 60_000
        : Number.POSITIVE_INFINITY;
      const waitMs = Math.min(earliestMs, (status.eta?.seconds ?? 0) * 1000);
      return Math.round(clamp(waitMs / 3, 2_000, 60_000));
    }
    case 'prequeue':
      return Math.round(clamp(at.onSale, 1_000, 15_000));
    case 'not-open':
      return Math.round(clamp(at.opens, 1_000, 60_000));
    default:
      return 0;
  }
}

/** An honest warning: would the people ahead, buying like buyers so far, take every seat that is left? */
export function sellOutRisk(seatsLeft: number, wantedAhead: number | null): 'sold-out' | 'likely' | 'possible' | null {
  if (seatsLeft <= 0) return 'sold-out';
  if (wantedAhead === null) return null;
  if (wantedAhead >= seatsLeft) return 'likely';
  if (wantedAhead >= seatsLeft * 0.6) return 'possible';
  return null;
}
