import 'server-only';
import { sql } from 'drizzle-orm';
import { getDbHandle, readReplicaState } from '@/db/client';
import type { ReplicaState } from '@/db/read-replica';
import { migrationStatus } from '@/db/migrations-runner';
import { getCoordinator } from '@/lib/coordination';
import { paymentsMode } from '@/lib/env';

type Check = { mode: string; ok: boolean; latencyMs?: number; error?: string };
export type HealthReport = {
  status: 'ok' | 'degraded' | 'down';
  database: Check & { location?: string; migrations?: { applied: number; expected: number; pending: string[] } };
  coordinator: Check;
  payments: { mode: string };
  /** The read replica, when DATABASE_REPLICA_URL names one: a replica that is down or lagging is skipped, not fatal. */
  replica?: ReplicaState;
  time: string;
};

async function timed(
  fn: () => Promise<unknown>,
  timeoutMs: number,
): Promise<{ ok: boolean; latencyMs: number; error?: string }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise(
        (_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)),
      ),
    ]);
    return { ok: true, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch (error) {
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

async function databaseCheck(): Promise<HealthReport['database']> {
  try {
    const handle = await getDbHandle();
    const probe = await timed(() => handle.db.execute(sql`select 1`), 2_000);
    if (!probe.ok) return { mode: handle.mode, location: handle.location, ...probe };
    const migrations = await migrationStatus(handle);
    const behind = migrations.pending.length > 0;
    return {
      mode: handle.mode,
      location: handle.location,
      ...probe,
      ok: !behind,
      migrations,
      ...(behind ? { error: `migrations not applied: ${migrations.pending.join(', ')}; run npm run db:migrate` } : {}),
    };
  } catch (error) {
    return { mode: 'unknown', ok: false, error: (error as Error).message };
  }
}

/**
 * Database down or behind on migrations: down (nothing can be sold). Coordinator down: degraded (holds go on
 * through PostgreSQL alone).
 */
export async function checkHealth(): Promise<HealthReport> {
  const coordinator = getCoordinator();
  const [database, coord] = await Promise.all([
    databaseCheck(),
    timed(() => coordinator.ping(), 1_000).then((r) => ({ mode: coordinator.mode, ...r })),
  ]);
  const status = !database.ok ? 'down' : coord.ok ? 'ok' : 'degraded';
  const replica = readReplicaState();
  return {
    status,
    database,
    coordinator: coord,
    payments: { mode: paymentsMode() },
    ...(replica ? { replica } : {}),
    time: new Date().toISOString(),
  };
}
