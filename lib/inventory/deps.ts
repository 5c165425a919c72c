import 'server-only';
import { getDb, type Database } from '@/db/client';
import { getCoordinator, type Coordinator } from '@/lib/coordination';
import { CircuitBreaker } from '@/lib/coordination/breaker';
import { env } from '@/lib/env';
import { log } from '@/lib/observability/log';
import { breakerState } from './metrics';

/** What the inventory functions need; tests pass real ones with a fake clock. */
export type InventoryDeps = {
  db: Database;
  coordinator: Coordinator;
  now: () => Date;
  /** Guards every coordinator call; when it is open, holds go to PostgreSQL alone. */
  breaker: CircuitBreaker;
};

export function createBreaker(timeoutMs = env().COORDINATOR_TIMEOUT_MS): CircuitBreaker {
  return new CircuitBreaker({
    timeoutMs,
    failureThreshold: 3,
    resetAfterMs: 1_000,
    onStateChange: (state, previous, cause) => {
      breakerState.set({}, state === 'open' ? 1 : 0);
      if (state === 'open') log().warn({ previous, err: cause }, 'coordinator unavailable: holds go to PostgreSQL alone (database-only mode)');
      if (state === 'closed') log().info({ previous }, 'coordinator answers again: holds use it as a contention filter');
    },
  });
}

const holder = globalThis as { __admitoneBreaker?: CircuitBreaker };

/** The process-wide dependencies. */
export async function inventoryDeps(): Promise<InventoryDeps> {
  holder.__admitoneBreaker ??= createBreaker();
  return { db: await getDb(), coordinator: getCoordinator(), now: () => new Date(), breaker: holder.__admitoneBreaker };
}

/** Runs a coordinator call that only tidies up (release, mark): failures are logged, never thrown. */
export async function bestEffort(deps: InventoryDeps, what: string, fn: () => Promise<unknown>): Promise<void> {
  const outcome = await deps.breaker.run(fn);
  if (!outcome.ok && outcome.reason !== 'open') log().debug({ what, reason: outcome.reason }, 'coordinator tidy-up skipped');
}
