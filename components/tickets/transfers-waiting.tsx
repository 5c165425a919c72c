import type { PendingTransfer } from '@/lib/contracts/checkout';
import { countOf, formatDateTime, seatPhrase } from '@/lib/format';

/**
 * Tickets someone sent to this account's email and nobody has claimed: offered after sign-up or sign-in. Claiming
 * needs the emailed link (it proves the mailbox), so the page points there instead of claiming itself.
 */
export function TransfersWaiting({ transfers, locale }: { transfers: PendingTransfer[]; locale: string }) {
  if (transfers.length === 0) return null;
  return (
    <section aria-labelledby="waiting-heading" className="mt-6 rounded-xl bg-emerald-50 p-4 ring-1 ring-emerald-200">
      <h2 id="waiting-heading" className="text-lg font-bold text-emerald-950">
        {countOf(transfers.length, 'ticket is', 'tickets are', locale)} waiting for you
      </h2>
      <ul className="mt-2 space-y-2 text-sm text-emerald-950">
        {transfers.map((t) => (
          <li key={t.id}>
            <strong>{t.fromName}</strong> sent you {t.eventName},{' '}
            {formatDateTime(new Date(t.eventStartsAt), t.eventTimezone, locale)} · {seatPhrase(t)}
          </li>
        ))}
      </ul>
      <p className="mt-2 text-sm text-emerald-950">
        Open the link in the email sent to {transfers[0]!.toEmail} to claim {transfers.length === 1 ? 'it' : 'them'}.
      </p>
    </section>
  );
}
