'use client';

import { useQuery } from '@tanstack/react-query';
import { requestJson } from '@/components/seat-map/api';
import { FUNNEL_STEPS, type EventFunnel, type FunnelStepKey } from '@/lib/contracts/funnel';
import { countOf } from '@/lib/format';
import { formatCount, formatPercent } from './format';

const POLL_MS = 15_000;
const W = 640;
const H = 200;
const PAD = { top: 12, right: 12, bottom: 26, left: 44 };
/** One colour per step, darker down the funnel, so the lines read in the funnel's order. */
const COLOURS: Record<FunnelStepKey, string> = {
  pageViews: '#93c5fd',
  queueJoins: '#60a5fa',
  admissions: '#3b82f6',
  holds: '#2552e8',
  checkouts: '#1e3a8a',
  paid: '#059669',
};
const INTERVAL = { minute: 'minute', hour: 'hour', day: 'day' } as const;

/**
 * The event's sales funnel on its dashboard: each step's count with its rate from the step before, holds that ended
 * unpaid by reason, and the steps per interval as a chart (with its table), refreshed every 15 seconds; a CSV of the
 * same for a spreadsheet. From AdmitOne's own counts (lib/analytics), no tracker.
 */
export function FunnelPanel({ eventId, timeZone, locale }: { eventId: string; timeZone: string; locale: string }) {
  const funnel = useQuery({
    queryKey: ['admin', 'events', eventId, 'funnel'],
    queryFn: () => requestJson<EventFunnel>(`/api/admin/events/${eventId}/funnel`),
    refetchInterval: POLL_MS,
  });
  if (funnel.isPending) return <p className="text-sm text-slate-600">Loading the funnel…</p>;
  if (funnel.isError && !funnel.data)
    return (
      <p role="alert" className="text-sm text-red-900">
        The funnel could not be loaded ({funnel.error.message}). It tries again every 15 seconds.
      </p>
    );
  const f = funnel.data;
  const first = f.totals.pageViews;
  const widest = Math.max(...FUNNEL_STEPS.map((s) => f.totals[s.key]), 1);
  const abandonedTotal = f.abandoned.expired + f.abandoned.released + f.abandoned.declined;

  return (
    <div className="space-y-5">
      {first === 0 && f.totals.holds === 0 ? (
        <p className="rounded-lg bg-slate-50 p-4 text-sm text-slate-600">
          No visits yet. The funnel fills in as buyers open the event page; counts arrive within a few seconds.
        </p>
      ) : null}
      <ol className="space-y-2" aria-label="Funnel steps">
        {FUNNEL_STEPS.map((step, i) => {
          const count = f.totals[step.key];
          const rate = f.rates[i]!;
          return (
            <li
              key={step.key}
              className="grid grid-cols-[1fr_auto] items-center gap-x-3 gap-y-1 text-sm sm:grid-cols-[10rem_1fr_auto]"
            >
              <span className="text-slate-700">{step.label}</span>
              {/* On a phone the bar takes a line of its own under the label and the count. */}
              <span
                className="col-span-2 row-start-2 h-5 rounded bg-slate-100 sm:col-span-1 sm:col-start-2 sm:row-start-1"
                aria-hidden="true"
              >
                <span
                  className="block h-5 rounded"
                  style={{ width: `${(count / widest) * 100}%`, background: COLOURS[step.key] }}
                />
              </span>
              <span className="col-start-2 row-start-1 text-right tabular-nums sm:col-start-3 sm:min-w-[9rem]">
                <strong data-testid={`funnel-${step.key}`}>{formatCount(count, locale)}</strong>
                {i > 0 ? (
                  <span className="ml-2 text-slate-600" title="of the step before">
                    {formatPercent(rate.ofPrevious, locale)}
                  </span>
                ) : null}
              </span>
            </li>
          );
        })}
      </ol>
      <p className="text-sm text-slate-700" data-testid="funnel-abandoned">
        {abandonedTotal === 0
          ? 'No hold has ended unpaid.'
          : `${countOf(abandonedTotal, 'hold', 'holds', locale)} ended unpaid: ${formatCount(f.abandoned.expired, locale)} expired, ${formatCount(f.abandoned.released, locale)} released, ${formatCount(f.abandoned.declined, locale)} after a declined payment.`}{' '}
        {f.activeHolds > 0 ? `${countOf(f.activeHolds, 'hold', 'holds', locale)} running now.` : null}
      </p>
      <FunnelChart funnel={f} timeZone={timeZone} locale={locale} />
      <p className="text-sm">
        <a
          className="font-semibold text-brand-700 underline hover:text-brand-800"
          href={`/api/admin/events/${eventId}/funnel?format=csv`}
          download
        >
          Download the funnel as CSV
        </a>{' '}
        <span className="text-slate-600">(one row per {INTERVAL[f.bucket]}, times in UTC, and a row of totals)</span>
      </p>
    </div>
  );
}

function FunnelChart({ funnel, timeZone, locale }: { funnel: EventFunnel; timeZone: string; locale: string }) {
  const points = funnel.series;
  if (points.length === 0) return null;
  const times = points.map((p) => new Date(p.at).getTime());
  const first = times[0]!;
  const last = Math.max(times.at(-1)!, first + 1);
  const max = Math.max(...points.flatMap((p) => FUNNEL_STEPS.map((s) => p[s.key])), 1);
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const x = (ms: number) => PAD.left + ((ms - first) / (last - first)) * innerW;
  const y = (n: number) => PAD.top + innerH - (n / max) * innerH;
  const time = new Intl.DateTimeFormat(locale, {
    hour: 'numeric',
    minute: '2-digit',
    timeZone,
    ...(funnel.bucket !== 'minute' ? { day: 'numeric', month: 'short' } : {}),
  });
  return (
    <figure>
      <svg viewBox={`0 0 ${W} ${H}`} className="h-auto w-full" role="img" aria-labelledby="funnel-chart-title">
        <title id="funnel-chart-title">{`Funnel steps per ${INTERVAL[funnel.bucket]}, ${time.format(first)} to ${time.format(last)}`}</title>
        {[...new Set([0, Math.round(max / 2), max])].map((n) => (
          <g key={n}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(n)} y2={y(n)} stroke="#e2e8f0" />
            <text x={PAD.left - 6} y={y(n) + 4} textAnchor="end" fontSize="11" fill="#475569">
              {formatCount(n, locale)}
            </text>
          </g>
        ))}
        {FUNNEL_STEPS.map((s) =>
          points.length === 1 ? (
            <circle key={s.key} cx={x(first)} cy={y(points[0]![s.key])} r="3.5" fill={COLOURS[s.key]} />
          ) : (
            <polyline
              key={s.key}
              fill="none"
              stroke={COLOURS[s.key]}
              strokeWidth="2"
              strokeLinejoin="round"
              points={points.map((p, i) => `${x(times[i]!)},${y(p[s.key])}`).join(' ')}
            />
          ),
        )}
        <text x={PAD.left} y={H - 8} fontSize="11" fill="#475569">
          {time.format(first)}
        </text>
        <text x={W - PAD.right} y={H - 8} fontSize="11" fill="#475569" textAnchor="end">
          {time.format(last)}
        </text>
      </svg>
      <figcaption className="mt-2 flex flex-wrap gap-3 text-xs text-slate-600">
        {FUNNEL_STEPS.map((s) => (
          <span key={s.key} className="flex items-center gap-1.5">
            <span aria-hidden="true" className="inline-block h-0.5 w-4" style={{ background: COLOURS[s.key] }} />
            {s.label}
          </span>
        ))}
      </figcaption>
      <details className="mt-2 text-sm">
        <summary className="cursor-pointer text-slate-700">The figures per {INTERVAL[funnel.bucket]}</summary>
        <div className="mt-2 max-h-72 overflow-auto">
          <table className="w-full text-left text-xs tabular-nums">
            <thead>
              <tr>
                <th scope="col" className="py-1 pr-2">
                  From
                </th>
                {FUNNEL_STEPS.map((s) => (
                  <th key={s.key} scope="col" className="py-1 pr-2">
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {points.map((p, i) => (
                <tr key={p.at} className="border-t border-slate-100">
                  <th scope="row" className="py-1 pr-2 font-normal">
                    {time.format(times[i]!)}
                  </th>
                  {FUNNEL_STEPS.map((s) => (
                    <td key={s.key} className="py-1 pr-2">
                      {formatCount(p[s.key], locale)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
