/**
 * `npm run db:backup [-- --out FILE]`: a backup of the configured database (PostgreSQL with DATABASE_URL, else the
 * embedded PGlite, which must not be open in a running app). Prints the file, its size and the time it took.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { BackupError, backupDatabase } from '../db/backups';
import { DataDirLockedError } from '../db/client';
import { databaseMode, parseEnv } from '../lib/env';
import { describeStartupError } from '../lib/startup-errors';

async function main() {
  const e = parseEnv(process.env);
  const at = process.argv.indexOf('--out');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = resolve(
    at >= 0 && process.argv[at + 1]
      ? process.argv[at + 1]!
      : `${e.ADMITONE_DATA_DIR}/backups/admitone-${stamp}.${databaseMode(e) === 'postgres' ? 'dump' : 'tar.gz'}`,
  );
  mkdirSync(dirname(file), { recursive: true });
  console.log(`Backing up the ${databaseMode(e) === 'postgres' ? 'PostgreSQL' : 'embedded'} database…`);
  const report = await backupDatabase(e, file);
  console.log(
    `✓ ${report.file}: ${(report.bytes / 1048576).toFixed(1)} MB in ${(report.ms / 1000).toFixed(1)} s.\n` +
      `  Restore it with: npm run db:restore -- ${report.file}`,
  );
}

main().catch((error: unknown) => {
  console.error(
    `✖ ${error instanceof BackupError || error instanceof DataDirLockedError ? error.message : describeStartupError(error)}`,
  );
  process.exit(1);
});
