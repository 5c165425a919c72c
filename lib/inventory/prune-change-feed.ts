import 'server-only';
import { sql } from 'drizzle-orm';
import { ts } from '@/db/sql';
import type { InventoryDeps } from './deps';

/** Drops change-feed entries older than an hour: a client that far behind gets a snapshot instead. */
export async function pruneChangeFeed(deps: InventoryDeps, keepMs = 60 * 60_000): Promise<void> {
  await deps.db.execute(
    sql`delete from availability_changes where created_at < ${ts(new Date(deps.now().getTime() - keepMs))}`,
  );
}
