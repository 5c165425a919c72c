import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { rows, ts } from '@/db/sql';

/** How far back "held and never paid" looks: the dashboard's hold window. */
const HOARDING_WINDOW_MS = 15 * 60_000;

export type NeverPaid = { eventId: string; accounts: number; holds: number; seats: number };

/**
 * Accounts that held seats on an event and let every such hold end unbought (released or expired) without ever
 * paying for an order of that event: the signature of seat hoarding by scripted accounts (issue 15, item 8). Over
 * the holds placed in the last HOARDING_WINDOW_MS; one indexed query per event (holds_event_user_idx).
 */
export async function holdersNeverPaid(db: Database, eventIds: readonly string[], now: Date): Promise<NeverPaid[]> {
  if (eventIds.length === 0) return [];
  const since = new Date(now.getTime() - HOARDING_WINDOW_MS);
  return rows<NeverPaid>(
    db,
    sql`select h.event_id as "eventId", count(distinct h.user_id)::int as accounts, count(*)::int as holds, coalesce(sum(h.seat_count), 0)::int as seats
        from holds h
        where h.event_id = any(${`{${eventIds.join(',')}}`}::uuid[]) and h.created_at > ${ts(since)}
          and (h.status in ('released', 'expired') or (h.status = 'active' and h.expires_at <= ${ts(now)}))
          and not exists (select 1 from holds c where c.event_id = h.event_id and c.user_id = h.user_id and (c.status = 'converted' or (c.status = 'active' and c.expires_at > ${ts(now)})))
          and not exists (select 1 from orders o where o.event_id = h.event_id and o.user_id = h.user_id and o.paid_at is not null)
        group by h.event_id`,
  );
}
