import { Card } from '@/components/admin/card';
import type { WaitlistFigures } from '@/lib/admin/dashboard-types';
import { countOf } from '@/lib/format';

/** The organizer's view of the waitlist: entries per tier asked for, people in them, offers open; the window. */
export function WaitlistFiguresCard({ waitlist, locale }: { waitlist: WaitlistFigures; locale: string }) {
  const total = waitlist.tiers.reduce((n, t) => n + t.waiting, 0);
  return (
    <Card title="Waitlist">
      {waitlist.tiers.length === 0 ? (
        <p className="text-sm text-slate-700">Nobody is waiting. Buyers can join once the event or a tier sells out.</p>
      ) : (
        <table className="w-full text-sm">
          <caption className="sr-only">Waitlist per price tier</caption>
          <thead>
            <tr className="text-left text-slate-600">
              <th scope="col" className="py-1 font-medium">
                Tier asked for
              </th>
              <th scope="col" className="py-1 text-right font-medium">
                Waiting
              </th>
              <th scope="col" className="py-1 text-right font-medium">
                People
              </th>
              <th scope="col" className="py-1 text-right font-medium">
                Offers open
              </th>
            </tr>
          </thead>
          <tbody className="tabular-nums">
            {waitlist.tiers.map((t) => (
              <tr key={t.tierId ?? 'any'} className="border-t border-slate-100">
                <th scope="row" className="py-1 text-left font-medium">
                  {t.tierName ?? 'Any tier'}
                </th>
                <td className="py-1 text-right">{t.waiting.toLocaleString(locale)}</td>
                <td className="py-1 text-right">{t.people.toLocaleString(locale)}</td>
                <td className="py-1 text-right">{t.offered.toLocaleString(locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="mt-2 text-xs text-slate-600">
        {total > 0 && `${countOf(total, 'party', 'parties', locale)} waiting. `}Freed seats are held for the next party
        they fit, for {countOf(waitlist.offerMinutes, 'minute', 'minutes', locale)} (the event&rsquo;s waitlist offer
        setting).
      </p>
    </Card>
  );
}
