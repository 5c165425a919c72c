import type { EventDetails } from '@/lib/contracts/catalog';
import { formatMoney } from '@/lib/format';

const priceRange = (min: number, max: number, currency: string, locale: string) =>
  min === max
    ? formatMoney(min, currency, locale)
    : `${formatMoney(min, currency, locale)} – ${formatMoney(max, currency, locale)}`;

/** Seats left per section: numbers for everyone, a bar as a visual extra. Long lists scroll inside the card. */
export function SectionAvailability({ event, locale }: { event: EventDetails; locale: string }) {
  const many = event.sections.length > 12;
  return (
    <div
      className={`rounded-xl bg-white ring-1 ring-slate-200 ${many ? 'max-h-[28rem] overflow-y-auto' : 'overflow-hidden'}`}
      {...(many ? { tabIndex: 0, role: 'region', 'aria-label': 'Seats by section' } : {})}
    >
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Seats left in each section, with prices</caption>
        <thead className="sticky top-0 bg-slate-50 text-slate-600">
          <tr>
            <th scope="col" className="px-4 py-2 font-medium">
              Section
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              Price
            </th>
            <th scope="col" className="px-4 py-2 text-right font-medium">
              Seats left
            </th>
          </tr>
        </thead>
        <tbody>
          {event.sections.map((s) => {
            const share = s.seatsTotal ? s.seatsAvailable / s.seatsTotal : 0;
            return (
              <tr key={s.label} className="border-t border-slate-100">
                <th scope="row" className="px-4 py-2 font-medium">
                  {s.name}
                </th>
                <td className="whitespace-nowrap px-4 py-2">
                  {priceRange(s.minPriceMinor, s.maxPriceMinor, event.currency, locale)}
                </td>
                <td className="px-4 py-2 text-right">
                  <div className="flex items-center justify-end gap-3">
                    <span aria-hidden className="hidden h-2 w-24 overflow-hidden rounded-full bg-slate-100 sm:block">
                      <span
                        className={`block h-full rounded-full ${share > 0.25 ? 'bg-emerald-600' : share > 0 ? 'bg-amber-500' : 'bg-slate-300'}`}
                        style={{ width: `${Math.round(share * 100)}%` }}
                      />
                    </span>
                    <span className="tabular-nums">
                      {s.seatsAvailable === 0 ? (
                        <span className="text-slate-600">Sold out</span>
                      ) : (
                        `${s.seatsAvailable.toLocaleString(locale)} of ${s.seatsTotal.toLocaleString(locale)}`
                      )}
                    </span>
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
