const STYLES: Record<string, string> = {
  draft: 'bg-amber-50 text-amber-900 ring-amber-200',
  published: 'bg-green-50 text-green-900 ring-green-200',
  cancelled: 'bg-slate-100 text-slate-700 ring-slate-300',
};
const LABELS: Record<string, string> = { draft: 'Draft', published: 'Published', cancelled: 'Cancelled' };

export function EventStatusBadge({ status }: { status: string }) {
  return (
    <span
      className={`inline-flex rounded-full px-2.5 py-0.5 text-xs font-semibold ring-1 ring-inset ${STYLES[status] ?? STYLES.cancelled}`}
    >
      {LABELS[status] ?? status}
    </span>
  );
}
