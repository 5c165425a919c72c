import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { rows } from '@/db/sql';
import { memoizePerDb } from './memo';

export type TierSeats = { id: string; name: string; priceMinor: number; color: string; left: number; total: number };
export type EventSeatsLeft = {
  tiers: TierSeats[];
  left: number;
  /** Seats a buyer takes on average: measured from this event's holds once there are enough, else an assumption. */
  seatsPerBuyer: number;
  seatsPerBuyerMeasured: boolean;
};

/** Below this many holds the average is noise; until then the page assumes two seats per buyer and says so. */
const MIN_HOLDS_TO_MEASURE = 20;
export const ASSUMED_SEATS_PER_BUYER = 2;

/**
 * Seats left per price tier (an expired hold counts as free), cached for five seconds for the polling crowd. Hidden
 * tiers are left out: the waiting room shows everyone the same, and only a presale code reveals one.
 */
export const seatsLeft = memoizePerDb<Database, EventSeatsLeft>(5_000, async (db, eventId) => {
  const tiers = await rows<TierSeats>(
    db,
    sql`select t.id, t.name, t.price_minor as "priceMinor", t.color,
               count(es.id) filter (where es.status = 'available' or (es.status = 'held' and es.held_until <= now()))::int as "left",
               count(es.id)::int as total
        from price_tiers t left join event_seats es on es.price_tier_id = t.id and es.event_id = t.event_id
        where t.event_id = ${eventId} and not t.hidden
        group by t.id
        order by t.sort_order, t.price_minor desc`,
  );
  const [buyers] = await rows<{ holds: number; seats: number }>(
    db,
    sql`select count(*)::int as holds, coalesce(sum(seat_count), 0)::int as seats from holds where event_id = ${eventId}`,
  );
  const measured = (buyers?.holds ?? 0) >= MIN_HOLDS_TO_MEASURE;
  return {
    tiers,
    left: tiers.reduce((n, t) => n + t.left, 0),
    seatsPerBuyer: measured ? Math.round((buyers!.seats / buyers!.holds) * 10) / 10 : ASSUMED_SEATS_PER_BUYER,
    seatsPerBuyerMeasured: measured,
  };
});
