import { venueLayoutDocument } from '@/components/seat-map/venue-layout-document';
import type { LayoutDocument } from '@/lib/contracts/inventory';
import { venueLayoutSchema, type VenueLayoutInput } from '@/lib/contracts/venue-layout';

/**
 * A LayoutDocument for one of the seed venues (e.g. the 50,800-seat stadium) without a database, for unit tests.
 * Prices default to one $50 tier.
 */
export function layoutDocumentFor(
  venue: VenueLayoutInput,
  options: Parameters<typeof venueLayoutDocument>[1] = {},
): LayoutDocument {
  return venueLayoutDocument(venueLayoutSchema.parse(venue), {
    tiers: [{ name: 'Standard', priceMinor: 5000, color: '#2563eb' }],
    firstSeatId: 1000,
    eventId: '00000000-0000-4000-8000-000000000000',
    ...options,
  });
}
