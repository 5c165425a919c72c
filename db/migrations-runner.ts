import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import type { DatabaseHandle } from './client';
import { rows } from './sql';

export const migrationsFolder = resolve(process.cwd(), 'db/migrations');

type Journal = { entries: { tag: string; when: number }[] };
const journal = (): Journal =>
  JSON.parse(readFileSync(resolve(migrationsFolder, 'meta/_journal.json'), 'utf8')) as Journal;

/** Applies every pending migration in db/migrations with the driver of the handle. Idempotent. */
export async function migrate(handle: DatabaseHandle): Promise<{ applied: number; total: number }> {
  const before = await migrationStatus(handle);
  if (handle.mode === 'postgres') {
    const { migrate: run } = await import('drizzle-orm/postgres-js/migrator');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the migrator wants the driver-specific type
    await run(handle.db as any, { migrationsFolder });
  } else {
    const { migrate: run } = await import('drizzle-orm/pglite/migrator');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the migrator wants the driver-specific type
    await run(handle.db as any, { migrationsFolder });
  }
  const after = await migrationStatus(handle);
  return { applied: after.applied - before.applied, total: after.expected };
}

/** How many migrations the database has applied against how many the code ships. */
export async function migrationStatus(
  handle: DatabaseHandle,
): Promise<{ applied: number; expected: number; pending: string[] }> {
  const entries = journal().entries;
  let appliedAt: number[] = [];
  try {
    const applied = await rows<{ created_at: string | number }>(
      handle.db,
      sql`select created_at from drizzle.__drizzle_migrations`,
    );
    appliedAt = applied.map((r) => Number(r.created_at));
  } catch {
    appliedAt = []; // no migrations table yet: nothing applied
  }
  const latest = appliedAt.length ? Math.max(...appliedAt) : 0;
  const pending = entries.filter((e) => e.when > latest).map((e) => e.tag);
  return { applied: appliedAt.length, expected: entries.length, pending };
}
