/**
 * `npm run db:restore -- FILE [--force]`: restores a backup made by `npm run db:backup` into the configured database
 * (an empty PostgreSQL database, or the embedded data directory), brings its schema up to this version, and audits
 * the inventory (every seat counted once; every held seat in one live hold; every sold seat with one ticket).
 * Exits non-zero if the audit finds a violation.
 */
import { BackupError, restoreDatabase } from '../db/backups';
import { DataDirLockedError } from '../db/client';
import { parseEnv } from '../lib/env';
import { describeStartupError } from '../lib/startup-errors';
import { reportDatabase } from './database-report';

async function main() {
  const file = process.argv.slice(2).find((a) => !a.startsWith('--'));
  if (!file) throw new BackupError('Say which backup: npm run db:restore -- FILE [--force]');
  const e = parseEnv(process.env);
  const report = await restoreDatabase(e, file, { force: process.argv.includes('--force') });
  console.log(`✓ Restored ${file} in ${(report.ms / 1000).toFixed(1)} s.`);
  if (report.replaced) console.log(`  The database it replaced is kept in ${report.replaced}.`);
  await reportDatabase(e);
  if (e.REDIS_URL)
    console.log(
      '  Redis still describes the time before the restore (seat claims, queues): point the app at an empty Redis\n' +
        '  database, or flush this one (redis-cli -u $REDIS_URL flushdb) before selling again.',
    );
}

main().catch((error: unknown) => {
  console.error(
    `✖ ${error instanceof BackupError || error instanceof DataDirLockedError ? error.message : describeStartupError(error)}`,
  );
  process.exit(1);
});
