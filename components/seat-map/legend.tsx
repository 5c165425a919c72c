import type { LayoutDocument } from '@/lib/contracts/inventory';
import { formatMoney } from '@/lib/format';
import { FlagIcon, SeatIcon } from './seat-icon';

/** What the shapes and colours mean, with the price of each tier. */
export function SeatLegend({
  layout,
  locale,
  mineLabel = 'Your seats',
}: {
  layout: LayoutDocument;
  locale?: string;
  mineLabel?: string;
}) {
  return (
    <div className="space-y-3 text-sm">
      <div>
        <h3 className="font-semibold text-slate-900">Prices</h3>
        <ul className="mt-1 space-y-1">
          {layout.tiers.map((tier) => (
            <li key={tier.id} className="flex items-center gap-2">
              <SeatIcon state="available" color={tier.color} />
              <span className="flex-1">{tier.name}</span>
              <span className="font-semibold tabular-nums">
                {formatMoney(tier.priceMinor, layout.currency, locale)}
              </span>
            </li>
          ))}
        </ul>
      </div>
      <div>
        <h3 className="font-semibold text-slate-900">Seats</h3>
        <ul className="mt-1 grid grid-cols-1 gap-1 sm:grid-cols-2 lg:grid-cols-1">
          <li className="flex items-center gap-2">
            <SeatIcon state="available" color="#64748b" /> Available (coloured disc)
          </li>
          <li className="flex items-center gap-2">
            <SeatIcon state="selected" /> {mineLabel} (check mark)
          </li>
          <li className="flex items-center gap-2">
            <SeatIcon state="held" /> Held by another buyer (slashed ring)
          </li>
          <li className="flex items-center gap-2">
            <SeatIcon state="sold" /> Sold (crossed square)
          </li>
          <li className="flex items-center gap-2">
            <SeatIcon state="blocked" /> Not for sale (empty square)
          </li>
          <li className="flex items-center gap-2">
            <FlagIcon flag="wheelchair" /> Wheelchair space
          </li>
          <li className="flex items-center gap-2">
            <FlagIcon flag="companion" /> Companion seat
          </li>
          <li className="flex items-center gap-2">
            <FlagIcon flag="restrictedView" /> Restricted view
          </li>
        </ul>
      </div>
    </div>
  );
}
