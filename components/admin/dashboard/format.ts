/** Small formatting helpers for the admin figures (shared by server and client components). */

export const formatCount = (n: number, locale = 'en-US') => new Intl.NumberFormat(locale).format(n);

export const formatPercent = (ratio: number | null, locale = 'en-US') =>
  ratio === null ? '—' : new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(ratio);

/** "45 s", "12 min", "3 h 20 min". */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(0, Math.round(seconds))} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
}

export const EVENT_STATUS_LOOK = {
  draft: { label: 'Draft', className: 'bg-amber-100 text-amber-900' },
  published: { label: 'Published', className: 'bg-emerald-100 text-emerald-900' },
  cancelled: { label: 'Cancelled', className: 'bg-red-100 text-red-900' },
} as const;

export const QUEUE_PHASE_LABEL = {
  'not-open': 'Not open yet',
  prequeue: 'Pre-queue',
  'on-sale': 'On sale',
  closed: 'Closed',
} as const;
