import { sql, type SQL } from 'drizzle-orm';
import type { Database } from './client';

/** Runs raw SQL and returns its rows, whichever driver answers (postgres.js returns an array, PGlite `{ rows }`). */
export async function rows<T extends Record<string, unknown>>(db: Database, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

export async function firstRow<T extends Record<string, unknown>>(db: Database, query: SQL): Promise<T | undefined> {
  return (await rows<T>(db, query))[0];
}

/** The SQLSTATE of a PostgreSQL error, looking through Drizzle's wrapping. */
export function pgErrorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

export const PG = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  checkViolation: '23514',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
  lockNotAvailable: '55P03',
  characterNotInRepertoire: '22021',
  untranslatableCharacter: '22P05',
} as const;

/** True when the database cannot be reached at all (refused, reset, timed out, shutting down). */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (
        [
          'ECONNREFUSED',
          'ECONNRESET',
          'ETIMEDOUT',
          'EPIPE',
          'ENOTFOUND',
          'CONNECT_TIMEOUT',
          'CONNECTION_CLOSED',
          'CONNECTION_ENDED',
          'CONNECTION_DESTROYED',
        ].includes(code)
      )
        return true;
      // admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections
      if (['57P01', '57P02', '57P03', '53300'].includes(code)) return true;
      // object_not_in_prerequisite_state is many things; "database ... is not accepting connections" is this one.
      if (code === '55000' && /not accepting connections/i.test(String((e as { message?: unknown }).message ?? '')))
        return true;
    }
  }
  return false;
}

/**
 * PostgreSQL refused a value it cannot store as text: U+0000 in a text parameter (22021) or in JSON (22P05). Input
 * validation strips or refuses these where it knows the field; this is the net for any field it does not.
 */
export const isUnstorableText = (error: unknown): boolean => {
  const code = pgErrorCode(error);
  return code === PG.characterNotInRepertoire || code === PG.untranslatableCharacter;
};

/**
 * A timestamp parameter for raw SQL. postgres.js (as Drizzle configures it) does not serialize a Date bound in a
 * raw `sql` template, while PGlite does: always pass instants through this.
 */
export const ts = (date: Date): SQL => sql`${date.toISOString()}::timestamptz`;
