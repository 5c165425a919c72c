import type { SeatCounts } from '@/lib/admin/dashboard-types';
import { formatCount } from './format';

const PARTS = [
  { key: 'sold', label: 'sold', className: 'bg-brand-600' },
  { key: 'held', label: 'held', className: 'bg-amber-400' },
  { key: 'blocked', label: 'blocked', className: 'bg-slate-400' },
  { key: 'available', label: 'available', className: 'bg-slate-200' },
] as const;

/** A bar of the seats by state, with the numbers in words beside it (the colours are not the only cue). */
export function SeatBar({ seats, compact = false }: { seats: SeatCounts; compact?: boolean }) {
  const total = Math.max(seats.total, 1);
  return (
    <div className="min-w-0">
      <div className="flex h-2 w-full overflow-hidden rounded-full bg-slate-100" aria-hidden="true">
        {PARTS.map((p) =>
          seats[p.key] > 0 ? (
            <div key={p.key} className={p.className} style={{ width: `${(seats[p.key] / total) * 100}%` }} />
          ) : null,
        )}
      </div>
      <p className={`mt-1 tabular-nums text-slate-700 ${compact ? 'text-xs' : 'text-sm'}`}>
        {formatCount(seats.available)} available · {formatCount(seats.held)} held · {formatCount(seats.sold)} sold
        {seats.blocked > 0 ? ` · ${formatCount(seats.blocked)} blocked` : ''}
      </p>
    </div>
  );
}
