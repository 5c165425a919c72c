import 'server-only';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { env, type DatabaseMode, type Env } from '@/lib/env';
import * as schema from './schema';
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
  if (e.DATABASE_URL) {
    const { default: postgres } = await import('postgres');
    const { drizzle } = await import('drizzle-orm/postgres-js');
    const client = postgres(e.DATABASE_URL, {
      max: options.maxConnections ?? e.DATABASE_POOL_MAX,
      idle_timeout: 30,
      connect_timeout: 5,
      onnotice: () => {},
      connection: { application_name: 'admitone' },
    });
    const url = new URL(e.DATABASE_URL);
    const logQuery = options.logQuery;
    return {
      db: drizzle(alwaysPrepared(client), {
        schema,
        ...(logQuery ? { logger: { logQuery: (query: string) => logQuery(query) } } : {}),
      }) as unknown as Database,
      mode: 'postgres',
      location: `${url.hostname}:${url.port || 5432}${url.pathname}`,
      close: () => client.end({ timeout: 5 }),
    };
  }
  return openPglite(pgliteDir(e));
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

type Cache = { handle?: Promise<DatabaseHandle>; db?: Database; info?: Omit<DatabaseHandle, 'db' | 'close'> };
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
