import 'server-only';
import { sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { auditLog } from '@/db/schema';
import { rows } from '@/db/sql';
import { log } from '@/lib/observability/log';
import { processSingleton } from '@/lib/process-singletons';

/**
 * Revoked sessions, so a signed-out session stops working at once on this instance and within about a second on
 * every other (docs/decisions/022-session-revocation.md). A session's signed cache cookie is trusted for five
 * minutes without the database, and a verified viewer is kept in memory for 30 seconds; both are checked against
 * this per-process set, which is a hash lookup per request and no I/O.
 *
 * The shared record is the audit log: every session better-auth deletes (sign-out, and a password change or
 * "sign out everywhere" when they are offered) is written there as `session.revoked`. Each instance reads the rows
 * of the last seconds at most once a second, and only while it serves requests: in the background when its copy is
 * a little old, before answering when it is more than a few seconds old (the first request after a quiet spell).
 */

/** Longer than anything that can vouch for a session without the database: the 5-minute cache cookie, plus margin. */
const KEEP_MS = 6 * 60_000;
/** Read the shared record at most this often... */
const FRESH_MS = 1_000;
/** ...and before answering when our copy is older than this. */
const STALE_MS = 5_000;
/** Rows are read again this far back, for revocations committed after a read that started later. */
const OVERLAP_MS = 10_000;

type State = {
  revoked: Map<string, number>;
  syncedAt: number;
  dbNow: number | null;
  syncing: Promise<void> | null;
  lastComplaint: number;
};
const state = processSingleton<State>('revocations', () => ({
  revoked: new Map(),
  syncedAt: 0,
  dbNow: null,
  syncing: null,
  lastComplaint: 0,
}));

/** Whether the session was revoked (O(1)). */
export function isRevoked(sessionId: string): boolean {
  return state.revoked.has(sessionId);
}

/**
 * Keeps the set current: nothing to wait for when it was read within the last second (the common case, no await);
 * a read in the background when it is a little older; a promise to await when it is stale.
 */
export function revocationsCurrent(now = Date.now()): Promise<void> | undefined {
  const age = now - state.syncedAt;
  if (age < FRESH_MS) return undefined;
  const reading = (state.syncing ??= sync(now).finally(() => {
    state.syncing = null;
  }));
  return age < STALE_MS ? undefined : reading;
}

/** Revokes a session here at once, and records it for every other instance. Never throws. */
export async function revokeSession(session: { id: string; userId?: string | null }, now = Date.now()): Promise<void> {
  state.revoked.set(session.id, now + KEEP_MS);
  try {
    const db = await getDb();
    await db.insert(auditLog).values({
      actorId: session.userId ?? null,
      action: 'session.revoked',
      entityType: 'session',
      entityId: session.id,
    });
  } catch (error) {
    log().warn(
      { err: error },
      'session revocation: not recorded for other instances; they trust the session until its cache expires',
    );
  }
}

async function sync(now: number): Promise<void> {
  try {
    const db = await getDb();
    const since =
      state.dbNow === null
        ? sql`now() - ${`${KEEP_MS} milliseconds`}::interval`
        : sql`${new Date(state.dbNow - OVERLAP_MS).toISOString()}::timestamptz`;
    const [found] = await rows<{ ids: string[] | null; now: Date | string }>(
      db,
      sql`select (select array_agg(entity_id) from audit_log where action = 'session.revoked' and created_at > ${since}) as ids, now() as now`,
    );
    for (const id of found?.ids ?? []) if (!state.revoked.has(id)) state.revoked.set(id, now + KEEP_MS);
    state.dbNow = found ? new Date(found.now).getTime() : state.dbNow;
    for (const [id, until] of state.revoked) if (until < now) state.revoked.delete(id);
  } catch (error) {
    if (now - state.lastComplaint > 60_000) {
      state.lastComplaint = now;
      log().warn({ err: error }, 'session revocation: could not read revocations from other instances; retrying');
    }
  } finally {
    state.syncedAt = Date.now();
  }
}

/** Tests: forget what this process knows, as a freshly started instance would. */
export function resetRevocationsForTests(): void {
  state.revoked.clear();
  state.syncedAt = 0;
  state.dbNow = null;
  state.syncing = null;
}
