/**
 * What `npm run db:restore` and `npm run db:audit` print about a database: its schema brought up to this version, what
 * it holds, and the inventory audit (lib/inventory/audit.ts). Sets a non-zero exit code when the audit finds a problem.
 */
import { sql } from 'drizzle-orm';
import { openDatabase } from '../db/client';
import { migrate } from '../db/migrations-runner';
import { rows } from '../db/sql';
import { auditInventory } from '../lib/inventory/audit';
import type { Env } from '../lib/env';

export async function reportDatabase(e: Env): Promise<void> {
  const handle = await openDatabase(e, { maxConnections: 2 });
  try {
    const { applied } = await migrate(handle);
    if (applied) console.log(`  ${applied} migration(s) brought it up to this version.`);
    const [counts] = await rows<{ events: number; paid: number; tickets: number }>(
      handle.db,
      sql`select (select count(*) from events)::int as events,
                 (select count(*) from orders where status = 'paid')::int as paid,
                 (select count(*) from tickets)::int as tickets`,
    );
    const audit = await auditInventory(handle.db);
    console.log(
      `  ${handle.location}: ${counts!.events} events, ${counts!.paid} paid orders, ${counts!.tickets} tickets.`,
    );
    if (audit.violations.length) {
      console.error(`✖ The inventory audit found ${audit.violations.length} problem(s):`);
      for (const v of audit.violations.slice(0, 20)) console.error(`  - ${v}`);
      process.exitCode = 1;
    } else console.log('  Inventory audit: clean.');
  } finally {
    await handle.close();
  }
}
