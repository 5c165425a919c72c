import type { QueueStatus } from '@/lib/contracts/queue';
import { countOf, formatMoney, noun } from '@/lib/format';

/** Seats still available per price tier, with an honest warning when the line ahead could buy them all. */
export function SeatsLeft({
  seats,
  state,
  ahead,
  prequeue,
  locale,
}: {
  seats: QueueStatus['seats'];
  state: QueueStatus['state'];
  ahead: number | null;
  prequeue: number;
  locale: string;
}) {
  const n = (value: number) => value.toLocaleString(locale);
  const count = (value: number, one: string, other: string) => countOf(value, one, other, locale);
  const perBuyer = `${n(seats.seatsPerBuyer)} ${noun(seats.seatsPerBuyer, 'seat', 'seats', locale)} per buyer`;
  const basis = seats.seatsPerBuyerMeasured
    ? `${perBuyer} so far`
    : `about ${perBuyer} (an assumption until enough people have bought)`;
  return (
    <section aria-labelledby="seats-left-title" className="rounded-xl bg-white p-5 ring-1 ring-slate-200">
      <h2 id="seats-left-title" className="text-lg font-bold">
        Seats left
      </h2>
      {seats.sellOut && (
        <p
          role="note"
          className={`mt-3 rounded-lg p-3 text-sm ${seats.sellOut === 'possible' ? 'bg-amber-50 text-amber-900' : 'bg-red-50 text-red-900'}`}
        >
          {seats.sellOut === 'sold-out' && (
            <>
              Every seat is sold or held right now. Held seats come back when their holds expire, so a place in line can
              still get tickets, but it may not.
            </>
          )}
          {seats.sellOut === 'likely' && ahead !== null && (
            <>
              <strong>Likely to sell out before your turn.</strong>{' '}
              {ahead === 1 ? 'The person' : `The ${n(ahead)} people`} ahead of you would buy about{' '}
              {count(seats.wantedAhead ?? 0, 'seat', 'seats')} at {basis}; {n(seats.left)}{' '}
              {seats.left === 1 ? 'is' : 'are'} left.
            </>
          )}
          {seats.sellOut === 'possible' && state === 'prequeue' && (
            <>
              <strong>Not everyone here will get tickets.</strong> {count(prequeue, 'person is', 'people are')} in the
              pre-queue for {count(seats.left, 'seat', 'seats')}, at {basis}.
            </>
          )}
          {seats.sellOut === 'possible' && state !== 'prequeue' && (
            <>
              <strong>Selling fast.</strong> The people ahead of you would buy about {n(seats.wantedAhead ?? 0)} of the{' '}
              {count(seats.left, 'seat', 'seats')} left, at {basis}.
            </>
          )}
        </p>
      )}
      <ul className="mt-3 divide-y divide-slate-100 text-sm">
        {seats.tiers.map((tier) => (
          <li key={tier.name} className="flex items-center justify-between gap-3 py-2">
            <span className="flex items-center gap-2">
              <span aria-hidden className="h-3 w-3 rounded-full" style={{ backgroundColor: tier.color }} />
              <span className="font-medium">{tier.name}</span>
              <span className="text-slate-600">{formatMoney(tier.priceMinor, seats.currency, locale)}</span>
            </span>
            <span className="tabular-nums">
              {tier.left === 0 ? (
                <span className="text-slate-500">None left</span>
              ) : (
                `${n(tier.left)} of ${n(tier.total)}`
              )}
            </span>
          </li>
        ))}
      </ul>
      <p className="mt-2 text-xs text-slate-600">Updated every few seconds. Seats are not reserved while you wait.</p>
    </section>
  );
}
