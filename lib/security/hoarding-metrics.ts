import 'server-only';
import { sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { rows } from '@/db/sql';
import { metrics } from '@/lib/observability/metrics';
import { holdersNeverPaid } from './hoarding';

/**
 * admitone_hold_never_paid_accounts{event}: accounts that held seats on an event on sale in the last 15 minutes and
 * let every hold lapse without paying (lib/security/hoarding.ts), computed when /api/metrics is read. Alert on a
 * jump: scripted accounts hoarding seats look like this.
 */
metrics.gauge(
  'admitone_hold_never_paid_accounts',
  'Accounts that held seats in the last 15 minutes and never paid, by event on sale',
  ['event'],
  async (gauge) => {
    const db = await getDb();
    const now = new Date();
    const onSale = await rows<{ id: string }>(
      db,
      sql`select id from events where status = 'published' and on_sale_at <= now() and starts_at > now()`,
    );
    const found = new Map(
      (
        await holdersNeverPaid(
          db,
          onSale.map((e) => e.id),
          now,
        )
      ).map((r) => [r.eventId, r.accounts]),
    );
    gauge.reset();
    for (const { id } of onSale) gauge.set({ event: id }, found.get(id) ?? 0);
  },
);
