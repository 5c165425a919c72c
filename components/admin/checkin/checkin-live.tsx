'use client';

import { useQuery } from '@tanstack/react-query';
import { Card } from '@/components/admin/card';
import { formatCount, formatPercent } from '@/components/admin/dashboard/format';
import { requestJson } from '@/components/seat-map/api';
import type { CheckinStats } from '@/lib/contracts/checkin';

const POLL_MS = 3_000;

/** Entries per gate and the share of tickets scanned, polled every three seconds; offline scans flagged on sync. */
export function CheckinLive({ eventId, initial }: { eventId: string; initial: CheckinStats }) {
  const stats = useQuery({
    queryKey: ['admin', 'events', eventId, 'checkin'],
    queryFn: () => requestJson<CheckinStats>(`/api/admin/events/${eventId}/checkin`),
    initialData: initial,
    refetchInterval: POLL_MS,
    staleTime: 0,
  });
  const s = stats.data;
  const most = Math.max(1, ...s.gates.map((g) => g.entries));
  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <Card title="Scanned">
        <p className="text-4xl font-bold tabular-nums" data-testid="checkin-share">
          {formatPercent(s.share)}
        </p>
        <p className="mt-1 text-slate-700">
          <span data-testid="checkin-admitted">{formatCount(s.admitted)}</span> of {formatCount(s.tickets)} tickets let
          in
        </p>
        <div
          className="mt-3 h-3 overflow-hidden rounded-full bg-slate-200"
          role="progressbar"
          aria-label="Share of tickets scanned"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(s.share * 100)}
        >
          <div className="h-full bg-emerald-600" style={{ width: `${s.share * 100}%` }} />
        </div>
        {stats.isError ? <p className="mt-2 text-sm text-red-700">Not updating: the last refresh failed.</p> : null}
      </Card>
      <Card title="Entries per gate" className="lg:col-span-2">
        {s.gates.length === 0 ? (
          <p className="text-slate-700">Nobody has been let in yet.</p>
        ) : (
          <ul className="space-y-2" aria-label="Entries per gate">
            {s.gates.map((g) => (
              <li key={g.gate} className="grid grid-cols-[8rem_1fr_4rem] items-center gap-3 text-sm">
                <span className="truncate font-medium">{g.gate}</span>
                <span className="h-3 rounded bg-slate-100" aria-hidden="true">
                  <span className="block h-3 rounded bg-brand-600" style={{ width: `${(g.entries / most) * 100}%` }} />
                </span>
                <span className="text-right tabular-nums">{formatCount(g.entries)}</span>
              </li>
            ))}
          </ul>
        )}
      </Card>
      {s.conflicts.length > 0 ? (
        <Card title={`Flagged offline scans (${s.conflicts.length})`} className="lg:col-span-3">
          <p className="text-sm text-slate-700">
            Admissions made offline that the server could not accept as they were: a ticket let in at two gates, or one
            voided before the phone synced. Check the person at the door if they are still there.
          </p>
          <ul className="mt-3 divide-y divide-slate-200 text-sm">
            {s.conflicts.map((c) => (
              <li key={`${c.ticketId}-${c.scannedAt}`} className="py-2">
                <span className="font-semibold text-red-800">
                  {c.outcome === 'conflict' ? 'Admitted twice' : 'Voided ticket'}
                </span>{' '}
                ticket <code>{c.ticketId.slice(0, 8)}</code> at {c.gate}, {new Date(c.scannedAt).toLocaleTimeString()}
                {c.outcome === 'conflict'
                  ? `; first at ${c.firstGate ?? 'an unnamed gate'}${c.firstAdmittedAt ? `, ${new Date(c.firstAdmittedAt).toLocaleTimeString()}` : ''}`
                  : ''}
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
    </div>
  );
}
