/**
 * The seat map and its parts, for the buyer's seat page and read-only uses (the venue builder's preview, the
 * admin dashboard):
 *
 *   <SeatMap layout={layout} codes={codes} label="Seat map of …" />                      read-only
 *   <SeatMap layout={layout} codes={codes} selected={set} onSeatActivate={toggle} … />   interactive
 *
 * `codes` holds one status per layout position (CODE: 0 available, 1 held, 2 sold, 3 blocked, 4 yours):
 * `codesFromString(snapshot.statuses, n)` from an availability snapshot, or `new Uint8Array(n)` for all available.
 * A venue that is not an event yet gets its layout from `venueLayoutDocument(parsedVenueLayout)`.
 */
export { SeatMap, type SeatMapHandle, type SeatMapProps } from './seat-map';
export { SeatList, type SeatListProps } from './seat-list';
export { SeatLegend } from './legend';
export { SeatIcon, FlagIcon } from './seat-icon';
export { CODE, codesFromString, inLayoutPositions, mergeAvailability, type AvailabilityState } from './availability';
export { describeSeat, seatName, sectionName, type SeatState } from './labels';
export { venueLayoutDocument } from './venue-layout-document';
