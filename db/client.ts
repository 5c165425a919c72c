import 'server-only';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { env, type DatabaseMode, type Env } from '@/lib/env';
import { ReplicaMonitor, parseLsn, type ReplicaState } from './read-replica';
import * as schema from './schema';
import { firstRow } from './sql';
import { processSingleton } from '@/lib/process-singletons';

export type Schema = typeof schema;
/** The database or a transaction: both drivers (postgres.js and PGlite) share this type. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

export type DatabaseHandle = {
  db: Database;
  mode: DatabaseMode;
  /** Where the data lives, without credentials: a host:port/db or a directory. */
  location: string;
  close(): Promise<void>;
};

export const pgliteDir = (e: Env) => resolve(e.ADMITONE_DATA_DIR, 'pglite');

/** Opens a new connection (pool) for the configured mode. Most code wants `getDb()` instead. */
export async function openDatabase(
  e: Env = env(),
  options: {
    maxConnections?: number;
    /** Tests: told every statement Drizzle sends. */ logQuery?: (query: string) => void;
  } = {},
): Promise<DatabaseHandle> {
  if (e.DATABASE_URL)
    return openPostgres(e.DATABASE_URL, { ...options, maxConnections: options.maxConnections ?? e.DATABASE_POOL_MAX });
  return openPglite(pgliteDir(e));
}

async function openPostgres(
  url: string,
  options: {
    maxConnections: number;
    /** Shown in pg_stat_activity: which pool a connection belongs to. */ applicationName?: string;
    connectTimeoutSeconds?: number;
    logQuery?: (query: string) => void;
  },
): Promise<DatabaseHandle> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const client = postgres(url, {
    max: options.maxConnections,
    idle_timeout: 30,
    connect_timeout: options.connectTimeoutSeconds ?? 5,
    onnotice: () => {},
    connection: { application_name: options.applicationName ?? 'admitone' },
  });
  const parsed = new URL(url);
  const logQuery = options.logQuery;
  return {
    db: drizzle(alwaysPrepared(client), {
      schema,
      ...(logQuery ? { logger: { logQuery: (query: string) => logQuery(query) } } : {}),
    }) as unknown as Database,
    mode: 'postgres',
    location: `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`,
    close: () => client.end({ timeout: 5 }),
  };
}

type Sql = import('postgres').Sql;

/**
 * Drizzle asks postgres.js for a prepared statement only for queries given a name, so every other statement was
 * parsed and planned by PostgreSQL each time it ran (a hold's one statement cost about a third more of PostgreSQL's
 * CPU than the same call prepared, bench:holds). postgres.js keeps each connection's prepared statements by their
 * text, and the app's statements are a fixed set of shapes with their values as parameters, so every statement is
 * prepared here, in transactions too. (Behind a transaction-pooling PgBouncer, prepared statements need its
 * `max_prepared_statements`.)
 */
function alwaysPrepared(client: Sql): Sql {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === 'unsafe') {
        return (query: string, parameters?: unknown[], queryOptions?: Record<string, unknown>) =>
          target.unsafe(query, parameters as never, { ...queryOptions, prepare: true });
      }
      if (property === 'begin') {
        return (...args: unknown[]) => {
          const body = args.at(-1) as (tx: Sql) => unknown;
          return (target.begin as (...a: unknown[]) => unknown)(...args.slice(0, -1), (tx: Sql) =>
            body(alwaysPrepared(tx)),
          );
        };
      }
      if (property === 'savepoint') {
        return (...args: unknown[]) => {
          const body = args.at(-1) as (tx: Sql) => unknown;
          return (target as unknown as { savepoint: (...a: unknown[]) => unknown }).savepoint(
            ...args.slice(0, -1),
            (tx: Sql) => body(alwaysPrepared(tx)),
          );
        };
      }
      return Reflect.get(target, property, receiver);
    },
  });
}

type PGliteClient = import('@electric-sql/pglite').PGlite;

/**
 * PGlite: one process per data directory, or writes are silently lost. A lock file makes a second one fail loudly.
 * `loadDataDir` starts a new directory from a dump of another (`npm run db:restore`).
 */
export async function openPgliteClient(
  dir: string | null,
  options: { loadDataDir?: Blob } = {},
): Promise<{ client: PGliteClient; close: () => Promise<void> }> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  let unlock = () => {};
  if (dir) {
    mkdirSync(dir, { recursive: true });
    unlock = lockDataDir(dir);
  }
  // 'memory://' rather than no path: an unnamed in-memory PGlite 0.5.16 cannot load extensions (pg_trgm).
  const client = new PGlite(dir ?? 'memory://', { extensions: { pg_trgm }, loadDataDir: options.loadDataDir });
  try {
    await client.waitReady;
  } catch (error) {
    unlock();
    throw error;
  }
  return {
    client,
    close: async () => {
      await client.close();
      unlock();
    },
  };
}

export async function openPglite(dir: string | null): Promise<DatabaseHandle> {
  const { drizzle } = await import('drizzle-orm/pglite');
  const { client, close } = await openPgliteClient(dir);
  return { db: drizzle(client, { schema }) as unknown as Database, mode: 'pglite', location: dir ?? 'memory', close };
}

export class DataDirLockedError extends Error {
  constructor(dir: string, pid: number) {
    super(
      `The embedded database in ${dir} is in use by another AdmitOne process (pid ${pid}). ` +
        'Stop it first: PGlite allows one process per data directory.',
    );
    this.name = 'DataDirLockedError';
  }
}

function lockDataDir(dir: string): () => void {
  const lockPath = join(dir, 'admitone.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      const release = () => rmSync(lockPath, { force: true });
      process.once('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(lockPath, 'utf8'));
      if (holder && holder !== process.pid && isAlive(holder)) throw new DataDirLockedError(dir, holder);
      rmSync(lockPath, { force: true }); // stale lock of a process that died
    }
  }
  throw new Error(`Could not lock ${dir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

type Cache = {
  handle?: Promise<DatabaseHandle>;
  db?: Database;
  info?: Omit<DatabaseHandle, 'db' | 'close'>;
  /** The read replica (null: none configured), opened with the primary on the first getReadDb(). */
  replica?: Promise<ReadReplica | null>;
  replicaOpen?: ReadReplica | null;
  onReplicaChange?: (state: ReplicaState) => void;
};
const cache = processSingleton<Cache>('db', () => ({}));

/**
 * The process-wide database, opened on first use (never at import time, so `next build` needs no database).
 * One per process (lib/process-singletons.ts), so hot reload and separate route bundles share one pool and one PGlite
 * instance.
 */
export function getDbHandle(): Promise<DatabaseHandle> {
  cache.handle ??= openDatabase().then((handle) => {
    cache.db = handle.db;
    cache.info = { mode: handle.mode, location: handle.location };
    return handle;
  });
  cache.handle.catch(() => {
    cache.handle = undefined;
  });
  return cache.handle;
}

export async function getDb(): Promise<Database> {
  return cache.db ?? (await getDbHandle()).db;
}

/** For tests: make getDb() return this handle. */
export function setDbHandleForTests(handle: DatabaseHandle | undefined): void {
  cache.handle = handle ? Promise.resolve(handle) : undefined;
  cache.db = handle?.db;
  cache.info = handle ? { mode: handle.mode, location: handle.location } : undefined;
}

export type ReadReplica = { db: Database; monitor: ReplicaMonitor; close(): Promise<void> };
export type { ReplicaState };

/**
 * Opens DATABASE_REPLICA_URL (null when it is not set) and starts checking it against `primary` every second in the
 * background. Most code wants `getReadDb()` instead.
 */
export async function openReadReplica(
  primary: Database,
  e: Env = env(),
  options: { intervalMs?: number; onChange?: (state: ReplicaState) => void } = {},
): Promise<ReadReplica | null> {
  if (!e.DATABASE_REPLICA_URL) return null;
  // A replica that is down must be given up on quickly: its reads have the primary to go to.
  const handle = await openPostgres(e.DATABASE_REPLICA_URL, {
    maxConnections: e.DATABASE_POOL_MAX,
    applicationName: 'admitone-replica',
    connectTimeoutSeconds: 2,
  });
  const lsn = async (db: Database, query: SQL) => {
    const row = await firstRow<{ lsn: string | null }>(db, query);
    if (!row?.lsn) throw new Error('no WAL position');
    return parseLsn(row.lsn);
  };
  const monitor = new ReplicaMonitor(
    {
      primaryLsn: () => lsn(primary, sql`select pg_current_wal_lsn()::text as lsn`),
      // A promoted replica has no replay position; its own position is how far it has got.
      replicaLsn: () =>
        lsn(
          handle.db,
          sql`select (case when pg_is_in_recovery() then pg_last_wal_replay_lsn() else pg_current_wal_lsn() end)::text as lsn`,
        ),
    },
    { maxLagMs: e.DATABASE_REPLICA_MAX_LAG_MS, intervalMs: options.intervalMs, onChange: options.onChange },
  );
  await monitor.start();
  return {
    db: handle.db,
    monitor,
    close: async () => {
      monitor.stop();
      await handle.close();
    },
  };
}

function readReplica(): Promise<ReadReplica | null> {
  cache.replica ??= getDb()
    .then((primary) => openReadReplica(primary, env(), { onChange: (state) => cache.onReplicaChange?.(state) }))
    .then((replica) => (cache.replicaOpen = replica));
  cache.replica.catch(() => {
    cache.replica = undefined;
  });
  return cache.replica;
}

/**
 * Where reads that may be a little behind go: catalog search, event pages, layouts. The replica while it answers and
 * lags by at most DATABASE_REPLICA_MAX_LAG_MS, else the primary (`getDb()`), which is also what it is without a
 * replica. Never for holds, checkout, orders, or anything a buyer or organizer reads back after changing it: those
 * read `getDb()`.
 */
export async function getReadDb(): Promise<Database> {
  // A replica that cannot even be opened (a bad host name) leaves every read on the primary; the next call tries again.
  const replica = cache.replicaOpen !== undefined ? cache.replicaOpen : await readReplica().catch(() => null);
  return replica?.monitor.state.inUse ? replica.db : getDb();
}

/** The read replica's state, or null when there is none (yet). */
export function readReplicaState(): ReplicaState | null {
  return cache.replicaOpen?.monitor.state ?? null;
}

/** The replica's drizzle handle, whether or not it is in use now; undefined when there is none (yet). */
export function readReplicaDb(): Database | undefined {
  return cache.replicaOpen?.db;
}

/** A read on the replica failed: reads go to the primary until a background check finds the replica answering. */
export function replicaReadFailed(): void {
  cache.replicaOpen?.monitor.failed();
}

/** Told when the replica is skipped or taken back (one listener: the log, lib/catalog/read-db.ts). */
export function onReadReplicaChange(listener: (state: ReplicaState) => void): void {
  cache.onReplicaChange = listener;
}

/** For tests: make getReadDb() use this replica (undefined: open the configured one on next use). */
export function setReadReplicaForTests(replica: ReadReplica | null | undefined): void {
  cache.replica = replica === undefined ? undefined : Promise.resolve(replica);
  cache.replicaOpen = replica;
}
