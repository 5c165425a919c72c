'use client';

import { useMemo } from 'react';
import { SeatMap } from '@/components/seat-map';
import { countByStatus } from '@/components/seat-map/availability';
import { SeatIcon } from '@/components/seat-map/seat-icon';
import { useAvailability, useLayout } from '@/components/seat-map/use-seat-data';
import { formatCount } from './format';

const NOBODY = new Set<number>();
const ignore = () => {};

/**
 * The buyers' seat map, read-only, coloured by status and kept live by the same availability stream (or polling)
 * the seat page uses. Held seats show as held: the feed does not say by whom.
 */
export function LiveSeatMap({ eventId, venueName, locale }: { eventId: string; venueName: string; locale: string }) {
  // The organizer sees every tier, hidden ones too (the public layout leaves those out).
  const layout = useLayout(eventId, 'unlocked');
  const availability = useAvailability(eventId, { mine: NOBODY, onChanges: ignore, layoutScope: 'unlocked' });
  const codes = useMemo(
    () => availability.data?.codes ?? (layout.data ? new Uint8Array(layout.data.seats.id.length) : null),
    [availability.data, layout.data],
  );
  const counts = useMemo(() => (codes ? countByStatus(codes) : null), [codes]);

  if (layout.isError)
    return (
      <p className="rounded-lg bg-red-50 p-4 text-sm text-red-900">
        The seat map could not be loaded. The figures above are still live.
      </p>
    );
  if (!layout.data || !codes)
    return (
      <div className="h-72 animate-pulse rounded-lg bg-slate-100" aria-label="Loading the seat map" role="status" />
    );
  return (
    <div>
      {/* The map's own box (the role=application element) takes the card's height: sizing only the outer frame left
          the buyers' taller box inside it, fitted to that box and cropped by the frame. */}
      <SeatMap
        layout={layout.data}
        codes={codes}
        label={`Seat map of ${venueName}, coloured by status`}
        locale={locale}
        className="[&>[role=application]]:h-80 sm:[&>[role=application]]:h-96"
      />
      <ul
        className="mt-3 flex flex-wrap gap-x-4 gap-y-1 text-sm text-slate-700"
        aria-label="Seats on the map by status"
      >
        <li className="flex items-center gap-1.5">
          <SeatIcon state="available" color="#64748b" /> {formatCount(counts!.available, locale)} available
        </li>
        <li className="flex items-center gap-1.5">
          <SeatIcon state="held" /> {formatCount(counts!.held + counts!.yours, locale)} held
        </li>
        <li className="flex items-center gap-1.5">
          <SeatIcon state="sold" /> {formatCount(counts!.sold, locale)} sold
        </li>
        <li className="flex items-center gap-1.5">
          <SeatIcon state="blocked" /> {formatCount(counts!.blocked, locale)} not for sale
        </li>
        <li className="text-slate-500">{availability.streamOpen ? 'Live stream' : 'Polling'}</li>
      </ul>
    </div>
  );
}
