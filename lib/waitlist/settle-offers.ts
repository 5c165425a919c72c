import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { rows, ts } from '@/db/sql';

/**
 * Ends the offers whose hold ended: paid for (purchased), or released or run out (lapsed). A hold past its time
 * with a payment under way stays an offer until the payment settles. Returns the events that had offers lapse: their
 * seats go to the next match. For one event, or all.
 */
export async function settleOffers(db: Database, now: Date, eventId?: string): Promise<string[]> {
  const ended = await rows<{ event_id: string; status: string }>(
    db,
    sql`update waitlist_entries w
        set status = case when h.status = 'converted' then 'purchased' else 'lapsed' end, ended_at = ${ts(now)}
        from holds h
        where w.status = 'offered' and h.id = w.hold_id ${eventId ? sql`and w.event_id = ${eventId}` : sql``}
          and (h.status in ('converted', 'released', 'expired')
               or (h.expires_at <= ${ts(now)} and not exists (select 1 from orders o where o.hold_id = h.id and o.status = 'pending')))
        returning w.event_id, w.status`,
  );
  return [...new Set(ended.filter((e) => e.status === 'lapsed').map((e) => e.event_id))];
}
