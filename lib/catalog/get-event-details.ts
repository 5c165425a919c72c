import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { rows, ts } from '@/db/sql';
import type { EventDetails, SaleState } from '@/lib/contracts/catalog';
import { DEFAULT_PREQUEUE_LEAD_MS } from '@/lib/queue/policy';
import { getEventOrThrow } from './get-event-or-throw';

type SectionRow = {
  label: string;
  name: string;
  seatsTotal: number;
  seatsAvailable: number;
  minPriceMinor: number;
  maxPriceMinor: number;
};
type TierRow = { tierId: string; seatsTotal: number; seatsAvailable: number };

/**
 * Seats left per section, in layout order. A hold past its expiry already counts as available. Seats of hidden
 * tiers are left out: only a presale code shows them (lib/presale).
 */
export function sectionAvailability(db: Database, eventId: string, now = new Date()): Promise<SectionRow[]> {
  return rows<SectionRow>(
    db,
    sql`select es.section_label as label, s.name, count(*)::int as "seatsTotal",
               count(*) filter (where es.status = 'available' or (es.status = 'held' and es.held_until <= ${ts(now)}))::int as "seatsAvailable",
               min(t.price_minor)::int as "minPriceMinor", max(t.price_minor)::int as "maxPriceMinor"
        from event_seats es
        join price_tiers t on t.id = es.price_tier_id
        join sections s on s.id = es.section_id
        where es.event_id = ${eventId} and not t.hidden
        group by es.section_label, es.section_id, s.name
        order by min(es.idx)`,
  );
}

function tierAvailability(db: Database, eventId: string, now: Date): Promise<TierRow[]> {
  return rows<TierRow>(
    db,
    sql`select es.price_tier_id as "tierId", count(*)::int as "seatsTotal",
               count(*) filter (where es.status = 'available' or (es.status = 'held' and es.held_until <= ${ts(now)}))::int as "seatsAvailable"
        from event_seats es where es.event_id = ${eventId} group by es.price_tier_id`,
  );
}

function saleState(
  event: { status: string; onSaleAt: Date; startsAt: Date },
  seatsAvailable: number,
  now: Date,
): SaleState {
  if (event.status === 'cancelled') return 'cancelled';
  if (event.startsAt <= now) return 'started';
  if (event.onSaleAt > now) return 'scheduled';
  return seatsAvailable > 0 ? 'on_sale' : 'sold_out';
}

/** What the event page and GET /api/events/{id} show: details, venue, tiers and sections with seats left, sale state. */
export async function getEventDetails(
  db: Database,
  id: string,
  options: { includeDrafts?: boolean; now?: Date } = {},
): Promise<EventDetails> {
  const now = options.now ?? new Date();
  const event = await getEventOrThrow(db, id, options);
  const [sections, tierCounts] = await Promise.all([
    sectionAvailability(db, event.id, now),
    tierAvailability(db, event.id, now),
  ]);
  const byTier = new Map(tierCounts.map((t) => [t.tierId, t]));
  const seatsAvailable = sections.reduce((n, s) => n + s.seatsAvailable, 0);
  return {
    id: event.id,
    slug: event.slug,
    name: event.name,
    performer: event.performer,
    category: event.category,
    description: event.description,
    city: event.city,
    venueName: event.venue.name,
    startsAt: event.startsAt.toISOString(),
    onSaleAt: event.onSaleAt.toISOString(),
    timezone: event.timezone,
    currency: event.currency,
    minPriceMinor: event.minPriceMinor,
    maxPriceMinor: event.maxPriceMinor,
    highDemand: event.highDemand,
    status: event.status,
    perOrderLimit: event.perOrderLimit,
    feePerTicketMinor: event.feePerTicketMinor,
    venue: {
      id: event.venue.id,
      name: event.venue.name,
      address: event.venue.address,
      city: event.venue.city,
      country: event.venue.country,
      timezone: event.venue.timezone,
    },
    // Tiers no seat uses (possible in a draft) are left out: a buyer could not pick them. Hidden tiers too: only a
    // presale code that unlocks one shows it.
    tiers: event.tiers
      .filter((t) => (byTier.has(t.id) && !t.hidden) || event.status === 'draft')
      .map((t) => ({
        id: t.id,
        name: t.name,
        priceMinor: t.priceMinor,
        color: t.color,
        seatsTotal: byTier.get(t.id)?.seatsTotal ?? 0,
        seatsAvailable: byTier.get(t.id)?.seatsAvailable ?? 0,
      })),
    sections,
    seatsTotal: sections.reduce((n, s) => n + s.seatsTotal, 0),
    seatsAvailable,
    sale: {
      state: saleState(event, seatsAvailable, now),
      opensAt: event.onSaleAt.toISOString(),
      waitingRoomOpensAt: (
        event.prequeueOpensAt ?? new Date(event.onSaleAt.getTime() - DEFAULT_PREQUEUE_LEAD_MS)
      ).toISOString(),
    },
    seatsUrl: `/events/${event.id}/seats`,
    serverTime: now.toISOString(),
  };
}
