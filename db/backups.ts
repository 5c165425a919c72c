import 'server-only';
import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { databaseMode, type DatabaseMode, type Env } from '@/lib/env';
import { openDatabase, openPgliteClient, pgliteDir } from './client';
import { rows } from './sql';
import { sql } from 'drizzle-orm';

/**
 * Backups that restore (`npm run db:backup`, `npm run db:restore`; docs/deploy.md has the recipe for point-in-time
 * recovery). PostgreSQL: `pg_dump`'s custom format, taken in one snapshot, so a backup made in the middle of a sale
 * is a consistent moment of it (every paid order with its tickets and sold seats, every hold with its seats). The
 * embedded PGlite: its own dump of the data directory (a gzipped tarball), taken while no app has the directory open.
 */
export type BackupReport = { mode: DatabaseMode; file: string; bytes: number; ms: number };
export type RestoreReport = { mode: DatabaseMode; file: string; ms: number; replaced: string | null };

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

/** What a file holds, from its first bytes: pg_dump's custom format starts with "PGDMP", gzip with 1f 8b. */
export function backupKind(file: string): DatabaseMode | null {
  // The first five bytes only: a production dump can be gigabytes.
  const head = Buffer.alloc(5);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, 5, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString('latin1') === 'PGDMP') return 'postgres';
  if (head[0] === 0x1f && head[1] === 0x8b) return 'pglite';
  return null;
}

export async function backupDatabase(e: Env, file: string): Promise<BackupReport> {
  const started = Date.now();
  const mode = databaseMode(e);
  if (mode === 'postgres') {
    await runPgTool('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${file}`], e);
  } else {
    // Throws DataDirLockedError while `npm start` has the directory open: PGlite allows one process per directory.
    const { client, close } = await openPgliteClient(pgliteDir(e));
    try {
      const dump = await client.dumpDataDir('gzip');
      writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    } finally {
      await close();
    }
  }
  return { mode, file, bytes: statSync(file).size, ms: Date.now() - started };
}

/**
 * Restores a backup into the configured database. PostgreSQL: the database must be empty (a new `createdb`), or
 * `force` replaces what it holds, in one transaction. PGlite: a data directory that holds data is kept beside the new
 * one (`pglite.before-restore-<time>`) with `force`, refused without. Migrations are not run here: the caller runs
 * them (a backup of an older version comes up to this one) and then audits the inventory.
 */
export async function restoreDatabase(e: Env, file: string, options: { force?: boolean } = {}): Promise<RestoreReport> {
  const started = Date.now();
  const mode = databaseMode(e);
  const kind = backupKind(file);
  if (kind !== mode)
    throw new BackupError(
      kind === null
        ? `${file} is not an AdmitOne backup (neither a pg_dump custom-format file nor a PGlite dump).`
        : kind === 'postgres'
          ? `${file} is a PostgreSQL backup: set DATABASE_URL to the database to restore it into.`
          : `${file} is a backup of the embedded database: unset DATABASE_URL to restore it into ${pgliteDir(e)}.`,
    );
  if (mode === 'postgres') {
    const tables = await publicTableCount(e);
    if (tables > 0 && !options.force)
      throw new BackupError(
        `The database already holds ${tables} tables. Restore into a new, empty database (createdb), or pass --force to replace its contents.`,
      );
    await runPgTool(
      'pg_restore',
      [
        '--no-owner',
        '--no-privileges',
        '--exit-on-error',
        '--single-transaction',
        ...(tables > 0 ? ['--clean', '--if-exists'] : []),
        file,
      ],
      e,
    );
    return { mode, file, ms: Date.now() - started, replaced: null };
  }
  const dir = pgliteDir(e);
  let replaced: string | null = null;
  if (existsSync(dir) && readdirSync(dir).some((name) => name !== 'admitone.lock')) {
    if (!options.force)
      throw new BackupError(
        `${dir} already holds a database. Stop the app and pass --force: the current one is kept beside it.`,
      );
    replaced = `${dir}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    // Fails with DataDirLockedError first if an app has the directory open.
    await (await openPgliteClient(dir)).close();
    renameSync(dir, replaced);
  }
  const { close } = await openPgliteClient(dir, { loadDataDir: new Blob([readFileSync(file)]) });
  await close();
  return { mode, file, ms: Date.now() - started, replaced };
}

async function publicTableCount(e: Env): Promise<number> {
  const handle = await openDatabase(e, { maxConnections: 1 });
  try {
    const [row] = await rows<{ n: number }>(
      handle.db,
      sql`select count(*)::int as n from pg_tables where schemaname in ('public', 'drizzle')`,
    );
    return row?.n ?? 0;
  } finally {
    await handle.close();
  }
}

/**
 * pg_dump or pg_restore against DATABASE_URL. The password goes in PGPASSWORD, not on the command line, where
 * every user of the machine could read it in the process list.
 */
function runPgTool(tool: 'pg_dump' | 'pg_restore', args: string[], e: Env): Promise<void> {
  const url = new URL(e.DATABASE_URL!);
  const password = decodeURIComponent(url.password);
  url.password = '';
  return new Promise((resolve, reject) => {
    const child = spawn(tool, [...args, `--dbname=${url.toString()}`], {
      // The tool inherits the environment (PATH, libpq's PG* settings), plus the password when the URL had one.
      // eslint-disable-next-line no-restricted-properties -- passed through to a child process, not read as settings
      env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new BackupError(`${tool} is not installed: install the PostgreSQL client tools of your server's version.`)
          : error,
      ),
    );
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new BackupError(`${tool} failed (exit ${code}): ${stderr.trim().slice(0, 2000)}`)),
    );
  });
}
