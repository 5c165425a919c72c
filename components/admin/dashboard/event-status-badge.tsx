import { EVENT_STATUS_LOOK } from './format';

/** Draft, published or cancelled, in words. */
export function EventStatusBadge({ status }: { status: keyof typeof EVENT_STATUS_LOOK }) {
  const look = EVENT_STATUS_LOOK[status];
  return (
    <span className={`inline-flex items-center rounded-full px-2.5 py-0.5 text-xs font-semibold ${look.className}`}>
      {look.label}
    </span>
  );
}
