import type { EventDetails } from '@/lib/contracts/catalog';
import type { WaitlistStatus } from '@/lib/contracts/waitlist';
import { LazyWaitlistPanel as WaitlistPanel } from './lazy-waitlist-panel';

/**
 * The event page's waitlist, for a sold-out event or tier (or a buyer already on the list): the panel for a
 * signed-in buyer (`status`: their place), a way to sign in for anyone else (`status` null).
 */
export function WaitlistSection({
  event,
  status,
  locale,
}: {
  event: EventDetails;
  status: WaitlistStatus | null;
  locale: string;
}) {
  if (event.sale.state !== 'on_sale' && event.sale.state !== 'sold_out') return null;
  const soldOut = event.tiers.filter((t) => t.seatsAvailable === 0);
  const onList = status?.entry?.status === 'waiting' || status?.entry?.status === 'offered';
  if (!soldOut.length && !onList) return null;
  if (!status)
    return (
      <p id="waitlist" className="mt-4 rounded-lg bg-slate-50 p-3 text-sm">
        {event.sale.state === 'sold_out' ? 'Sold out, but seats come back. ' : 'Some tiers are sold out. '}
        <a
          className="font-semibold text-brand-700 underline"
          href={`/sign-in?next=${encodeURIComponent(`/events/${event.id}#waitlist`)}`}
        >
          Sign in to join the waitlist
        </a>
      </p>
    );
  return (
    <WaitlistPanel
      eventId={event.id}
      currency={event.currency}
      locale={locale}
      perOrderLimit={event.perOrderLimit}
      tiers={soldOut.map((t) => ({ id: t.id, name: t.name, priceMinor: t.priceMinor, soldOut: true }))}
      initial={status}
    />
  );
}
