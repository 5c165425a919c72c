import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { rows } from '@/db/sql';
import { getLayout } from './layout';

/**
 * Builds the layouts of large upcoming events when the server starts, so the first buyer of a stadium on-sale does
 * not wait for 50,000 rows to be read and encoded (seconds on the embedded database). Biggest first.
 */
export async function warmLayouts(db: Database, options: { minSeats?: number; limit?: number } = {}): Promise<number> {
  const events = await rows<{ id: string }>(
    db,
    sql`select id from events where status = 'published' and starts_at > now() and seats_total >= ${options.minSeats ?? 5_000}
        order by high_demand desc, seats_total desc, on_sale_at limit ${options.limit ?? 8}`,
  );
  for (const event of events) await getLayout(db, event.id);
  return events.length;
}
