import type { MoneyParts, RevenueFigures } from '@/lib/admin/dashboard-types';
import { formatMoney } from '@/lib/format';
import { Card } from '@/components/admin/card';

const MODE = { inclusive: 'included in the prices', exclusive: 'added at checkout' } as const;

/**
 * The event's money in three columns (decision 046): net revenue, the tax collected for the tax office (with its
 * label, "VAT 20%"), and gross, what buyers paid. Rows: what was sold, what went back (a refund returns the tax with
 * the price), what stays. Every row adds up across, every column down.
 */
export function RevenueCard({ revenue, locale }: { revenue: RevenueFigures; locale: string }) {
  const money = (minor: number) => formatMoney(minor, revenue.currency, locale);
  const taxHeading = revenue.taxes.length ? revenue.taxes.map((t) => t.label).join(', ') : 'Tax';
  const rows: { key: 'sold' | 'refunded' | 'kept'; label: string; parts: MoneyParts; sign: 1 | -1 }[] = [
    { key: 'sold', label: 'Sold', parts: revenue.sold, sign: 1 },
    { key: 'refunded', label: 'Refunded', parts: revenue.refunded, sign: -1 },
    { key: 'kept', label: 'Kept', parts: revenue.kept, sign: 1 },
  ];
  return (
    <Card title="Revenue">
      <table className="w-full text-left text-sm tabular-nums" aria-label="Revenue: net, tax and gross">
        <thead className="text-xs uppercase tracking-wide text-slate-600">
          <tr>
            <th scope="col" className="py-1 pr-3 font-semibold">
              <span className="sr-only">Figure</span>
            </th>
            <th scope="col" className="py-1 pr-3 text-right font-semibold">
              Net
            </th>
            <th scope="col" className="py-1 pr-3 text-right font-semibold" data-testid="revenue-tax-heading">
              {taxHeading}
            </th>
            <th scope="col" className="py-1 text-right font-semibold">
              Gross
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ key, label, parts, sign }) => (
            <tr key={key} className={key === 'kept' ? 'border-t border-slate-300 font-bold' : ''}>
              <th scope="row" className="py-1.5 pr-3 font-medium">
                {label}
              </th>
              {(['netMinor', 'taxMinor', 'grossMinor'] as const).map((part) => (
                <td key={part} className="py-1.5 pr-3 text-right last:pr-0" data-testid={`revenue-${key}-${part}`}>
                  {sign < 0 && parts[part] ? `−${money(parts[part])}` : money(parts[part])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="mt-2 text-xs text-slate-600">
        {revenue.taxes.length
          ? `${revenue.taxes.map((t) => `${t.label} ${MODE[t.mode]}`).join('; ')}. `
          : 'No tax on this event’s orders. '}
        Gross is what buyers paid; net is gross less tax. A refund returns the tax with the price.
      </p>
    </Card>
  );
}
