/**
 * `npm run db:restore -- FILE [--force]`: restores a backup made by `npm run db:backup` into the configured database
 * (an empty PostgreSQL database, or the embedded data directory), brings its schema up to this version, and audits
 * the inventory (every seat counted once; every held seat in one live hold; every sold seat with one ticket).
 * Exits non-zero if the audit finds a violation.
 */
import { sql } from 'drizzle-orm';
import { BackupError, restoreDatabase } from '../db/backups';
import { DataDirLockedError, openDatabase } from '../db/client';
import { migrate } from '../db/migrations-runner';
import { rows } from '../db/sql';
import { auditInventory } from '../lib/inventory/audit';
import { parseEnv } from '../lib/env';
import { describeStartupError } from '../lib/startup-errors';

async function main() {
  const file = process.argv.slice(2).find((a) => !a.startsWith('--'));
  if (!file) throw new BackupError('Say which backup: npm run db:restore -- FILE [--force]');
  const e = parseEnv(process.env);
  const report = await restoreDatabase(e, file, { force: process.argv.includes('--force') });
  console.log(`✓ Restored ${file} in ${(report.ms / 1000).toFixed(1)} s.`);
  if (report.replaced) console.log(`  The database it replaced is kept in ${report.replaced}.`);
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
    console.log(`  ${counts!.events} events, ${counts!.paid} paid orders, ${counts!.tickets} tickets.`);
    if (audit.violations.length) {
      console.error(`✖ The inventory audit found ${audit.violations.length} problem(s):`);
      for (const v of audit.violations.slice(0, 20)) console.error(`  - ${v}`);
      process.exitCode = 1;
    } else console.log('  Inventory audit: clean.');
    if (e.REDIS_URL)
      console.log(
        '  Redis still describes the time before the restore (seat claims, queues): point the app at an empty Redis\n' +
          '  database, or flush this one (redis-cli -u $REDIS_URL flushdb) before selling again.',
      );
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  console.error(
    `✖ ${error instanceof BackupError || error instanceof DataDirLockedError ? error.message : describeStartupError(error)}`,
  );
  process.exit(1);
});
