import { Panel } from '@/components/ui/panel';
import { formatMoney } from '@/lib/format';
import type { HoldSeat as Seat } from '@/lib/inventory';
import { amountLines, type OrderAmounts } from '@/lib/pricing/amount-lines';

type Props = {
  seats: Seat[];
  currency: string;
  feePerTicketMinor: number;
  amounts: OrderAmounts;
  locale: string;
};

/** The seats grouped by section and row, then the discount, fees, tax and the total, in the event's currency. */
export function OrderSummary({ seats, currency, feePerTicketMinor, amounts, locale }: Props) {
  const groups = new Map<string, Seat[]>();
  for (const seat of seats) {
    const k = `${seat.sectionLabel}\u0000${seat.rowLabel}`;
    groups.set(k, [...(groups.get(k) ?? []), seat]);
  }
  const money = (minor: number) => formatMoney(minor, currency, locale);
  const bill = amountLines(amounts);
  return (
    <Panel title="Order summary">
      <div className="mt-3 divide-y divide-slate-100">
        {[...groups.values()].map((row) => (
          <div key={`${row[0]!.sectionLabel}-${row[0]!.rowLabel}`} className="py-3">
            <p className="text-sm font-semibold text-slate-800">
              Section {row[0]!.sectionLabel} · Row {row[0]!.rowLabel}
            </p>
            <ul className="mt-1 space-y-1 text-sm">
              {row.map((seat) => (
                <li key={seat.id} className="flex justify-between gap-2">
                  <span>
                    Seat {seat.seatLabel} <span className="text-slate-500">· {seat.tierName}</span>
                  </span>
                  <span className="tabular-nums">{money(seat.priceMinor)}</span>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </div>
      <dl className="mt-2 space-y-1 border-t border-slate-200 pt-3 text-sm">
        {bill.lines.map((line) => (
          <div key={line.key} className={`flex justify-between ${line.key === 'subtotal' ? '' : 'text-slate-700'}`}>
            <dt>
              {line.key === 'subtotal'
                ? `${seats.length} ${seats.length === 1 ? 'ticket' : 'tickets'}`
                : line.key === 'fees' && feePerTicketMinor > 0
                  ? `Fees (${money(feePerTicketMinor)} per ticket)`
                  : line.label}
            </dt>
            <dd className="tabular-nums">{line.minor < 0 ? `−${money(-line.minor)}` : money(line.minor)}</dd>
          </div>
        ))}
        <div className="flex justify-between border-t border-slate-200 pt-2 text-base font-bold">
          <dt>Total</dt>
          <dd className="tabular-nums" data-testid="order-total">
            {money(bill.totalMinor)}
          </dd>
        </div>
        {bill.included && (
          <div className="flex justify-between text-slate-600">
            <dt>{bill.included.label}</dt>
            <dd className="tabular-nums">{money(bill.included.minor)}</dd>
          </div>
        )}
      </dl>
    </Panel>
  );
}
