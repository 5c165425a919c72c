import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { rows, ts } from '@/db/sql';

export type OpenOffer = { eventId: string; eventName: string; holdId: string; seatCount: number; expiresAt: string };

/** The account's waitlist offers still open: what "My tickets" points out among the seats held for it. */
export async function listOpenOffers(db: Database, userId: string, now: Date): Promise<OpenOffer[]> {
  const found = await rows<{
    event_id: string;
    event_name: string;
    hold_id: string;
    seat_count: number;
    expires_at: Date | string;
  }>(
    db,
    sql`select w.event_id, e.name as event_name, w.hold_id, cardinality(h.seat_ids) as seat_count, h.expires_at
        from waitlist_entries w join holds h on h.id = w.hold_id join events e on e.id = w.event_id
        where w.user_id = ${userId} and w.status = 'offered' and h.status = 'active' and h.expires_at > ${ts(now)}
        order by h.expires_at limit 20`,
  );
  return found.map((o) => ({
    eventId: o.event_id,
    eventName: o.event_name,
    holdId: o.hold_id,
    seatCount: Number(o.seat_count),
    expiresAt: new Date(o.expires_at).toISOString(),
  }));
}
