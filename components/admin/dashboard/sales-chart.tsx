import type { SalesPoint } from '@/lib/admin/dashboard-types';
import { countOf, formatMoney } from '@/lib/format';
import { formatCount, formatDuration } from './format';

const W = 640;
const H = 220;
const MIN_BUCKETS = 12;
const PAD = { top: 16, right: 16, bottom: 28, left: 44 };

/**
 * Tickets sold over time, drawn in SVG: a bar per interval and the running total as a line. The same figures follow
 * as a table for screen readers and for anyone who wants the exact numbers.
 */
export function SalesChart({
  points,
  bucketSeconds,
  currency,
  timeZone,
  locale,
}: {
  points: SalesPoint[];
  bucketSeconds: number;
  currency: string;
  timeZone: string;
  locale: string;
}) {
  if (points.length === 0) {
    return (
      <p className="rounded-lg bg-slate-50 p-6 text-center text-sm text-slate-600">
        No sales yet. The chart fills in as orders are paid.
      </p>
    );
  }
  const total = points.at(-1)!.cumulativeTickets;
  const maxBar = Math.max(...points.map((p) => p.tickets), 1);
  const first = new Date(points[0]!.at).getTime();
  // At least a dozen intervals wide, so one busy minute is a bar, not the whole chart.
  const last = Math.max(
    new Date(points.at(-1)!.at).getTime() + bucketSeconds * 1000,
    first + MIN_BUCKETS * bucketSeconds * 1000,
  );
  const span = Math.max(last - first, 1);
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const x = (ms: number) => PAD.left + ((ms - first) / span) * innerW;
  const yTotal = (n: number) => PAD.top + innerH - (n / Math.max(total, 1)) * innerH;
  const barW = Math.max(2, (bucketSeconds * 1000 * innerW) / span - 2);
  const time = new Intl.DateTimeFormat(locale, {
    hour: 'numeric',
    minute: '2-digit',
    timeZone,
    ...(span > 86_400_000 ? { day: 'numeric', month: 'short' } : {}),
  });
  // Flat while nothing sells, rising across each interval that sold, flat to the end of the axis.
  const line = [
    `M ${x(first)} ${yTotal(0)}`,
    ...points.flatMap((p) => {
      const start = new Date(p.at).getTime();
      return [
        `L ${x(start)} ${yTotal(p.cumulativeTickets - p.tickets)}`,
        `L ${x(start + bucketSeconds * 1000)} ${yTotal(p.cumulativeTickets)}`,
      ];
    }),
    `L ${x(last)} ${yTotal(total)}`,
  ].join(' ');
  const ticks = [0, 0.5, 1].map((f) => Math.round(total * f));

  return (
    <figure>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        className="h-auto w-full"
        role="img"
        aria-labelledby="sales-chart-title sales-chart-desc"
      >
        <title id="sales-chart-title">Tickets sold over time</title>
        <desc id="sales-chart-desc">
          {`${countOf(total, 'ticket', 'tickets', locale)} sold between ${time.format(first)} and ${time.format(last)}, in intervals of ${formatDuration(bucketSeconds)}.`}
        </desc>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={yTotal(t)} y2={yTotal(t)} stroke="#e2e8f0" />
            <text x={PAD.left - 6} y={yTotal(t) + 4} textAnchor="end" fontSize="11" fill="#475569">
              {formatCount(t, locale)}
            </text>
          </g>
        ))}
        {points.map((p) => {
          const h = (p.tickets / maxBar) * innerH * 0.6;
          return (
            <rect
              key={p.at}
              x={x(new Date(p.at).getTime()) + 1}
              y={PAD.top + innerH - h}
              width={barW}
              height={h}
              rx="1.5"
              fill="#bfd0fd"
            />
          );
        })}
        <path d={line} fill="none" stroke="#2552e8" strokeWidth="2.5" strokeLinejoin="round" />
        <text x={PAD.left} y={H - 8} fontSize="11" fill="#475569">
          {time.format(first)}
        </text>
        <text x={W - PAD.right} y={H - 8} fontSize="11" fill="#475569" textAnchor="end">
          {time.format(last)}
        </text>
      </svg>
      <figcaption className="mt-2 flex flex-wrap gap-4 text-xs text-slate-600">
        <span className="flex items-center gap-1.5">
          <span aria-hidden="true" className="inline-block h-0.5 w-4 bg-brand-600" /> Running total
        </span>
        <span className="flex items-center gap-1.5">
          <span aria-hidden="true" className="inline-block h-3 w-3 rounded-sm bg-[#bfd0fd]" /> Sold per{' '}
          {formatDuration(bucketSeconds)}
        </span>
        <span>Counted when paid; later refunds are not subtracted.</span>
      </figcaption>
      <details className="mt-2 text-sm">
        <summary className="cursor-pointer font-medium text-brand-700">Show the figures</summary>
        <div className="mt-2 max-h-56 overflow-auto">
          <table className="w-full text-left tabular-nums">
            <thead className="text-xs text-slate-600">
              <tr>
                <th className="py-1 pr-3 font-semibold">From</th>
                <th className="py-1 pr-3 font-semibold">Tickets</th>
                <th className="py-1 pr-3 font-semibold">Taken (gross, incl. tax)</th>
                <th className="py-1 font-semibold">Running total</th>
              </tr>
            </thead>
            <tbody>
              {points.map((p) => (
                <tr key={p.at} className="border-t border-slate-100">
                  <td className="py-1 pr-3">{time.format(new Date(p.at))}</td>
                  <td className="py-1 pr-3">{formatCount(p.tickets, locale)}</td>
                  <td className="py-1 pr-3">{formatMoney(p.revenueMinor, currency, locale)}</td>
                  <td className="py-1">{formatCount(p.cumulativeTickets, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
