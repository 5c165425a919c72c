import type { OrderStatusName } from '@/lib/contracts/checkout';

const LOOK: Record<OrderStatusName, { label: string; className: string }> = {
  pending: { label: 'Payment processing', className: 'bg-amber-100 text-amber-900' },
  paid: { label: 'Paid', className: 'bg-emerald-100 text-emerald-900' },
  failed: { label: 'Not completed', className: 'bg-red-100 text-red-900' },
  cancelled: { label: 'Cancelled', className: 'bg-slate-200 text-slate-800' },
  refunded: { label: 'Cancelled and refunded', className: 'bg-slate-200 text-slate-800' },
};

/** Status in words (never colour alone). */
export function OrderStatusBadge({ status, refunded }: { status: OrderStatusName; refunded?: boolean }) {
  const look =
    status === 'failed' && refunded ? { label: 'Refunded', className: 'bg-slate-200 text-slate-800' } : LOOK[status];
  return (
    <span className={`inline-flex items-center rounded-full px-2.5 py-0.5 text-xs font-semibold ${look.className}`}>
      {look.label}
    </span>
  );
}
