import { afterAll, beforeAll, beforeEach } from 'vitest';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { openDatabase, openPglite, setDbHandleForTests, type DatabaseHandle } from '@/db/client';
import { migrate } from '@/db/migrations-runner';
import { rows } from '@/db/sql';
import { parseEnv } from '@/lib/env';
import { realDatabaseUrl, templateName, withDatabase } from './services';

let cachedTables: string | undefined;

/** Empties every table (keeps the schema and the migrations table). */
export async function resetDatabase(handle: DatabaseHandle): Promise<void> {
  cachedTables ??= (
    await rows<{ name: string }>(handle.db, sql`select tablename as name from pg_tables where schemaname = 'public'`)
  )
    .map((r) => `"${r.name}"`)
    .join(', ');
  await handle.db.execute(sql.raw(`truncate ${cachedTables} restart identity cascade`));
}

/**
 * A database of this test file's own: a clone of the migrated template on the real PostgreSQL, or an in-memory
 * PGlite. It becomes the app's database (getDb()) and is emptied before each test unless `reset: false`.
 */
export function useTestDatabase(options: { reset?: boolean; maxConnections?: number } = {}): {
  handle: () => DatabaseHandle;
  url: () => string;
} {
  let handle: DatabaseHandle | undefined;
  let dropName: string | undefined;

  beforeAll(async () => {
    if (realDatabaseUrl) {
      const name = `${templateName().replace(/_template$/, '')}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
      const admin = postgres(withDatabase(realDatabaseUrl, 'postgres'), { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database "${name}" template "${templateName()}"`);
      await admin.end();
      dropName = name;
      handle = await openDatabase(parseEnv({ DATABASE_URL: withDatabase(realDatabaseUrl, name) }), {
        maxConnections: options.maxConnections ?? 20,
      });
    } else {
      handle = await openPglite(null);
      await migrate(handle);
    }
    setDbHandleForTests(handle);
  });

  if (options.reset !== false) {
    beforeEach(async () => {
      await resetDatabase(handle!);
    });
  }

  afterAll(async () => {
    setDbHandleForTests(undefined);
    await handle?.close();
    if (dropName && realDatabaseUrl) {
      const admin = postgres(withDatabase(realDatabaseUrl, 'postgres'), { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database if exists "${dropName}" with (force)`);
      await admin.end();
    }
  });

  return {
    /** The connection URL of this file's database (real PostgreSQL only), for app servers the test starts. */
    url: () => {
      if (!dropName || !realDatabaseUrl) throw new Error('useTestDatabase: only a real PostgreSQL database has a URL');
      return withDatabase(realDatabaseUrl, dropName);
    },
    handle: () => {
      if (!handle) throw new Error('useTestDatabase: the database is opened in beforeAll');
      return handle;
    },
  };
}
