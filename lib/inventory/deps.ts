import 'server-only';
import { getDb, type Database } from '@/db/client';
import { getCoordinator } from '@/lib/coordination';
import { CircuitBreaker } from '@/lib/coordination/breaker';
import type { SeatFilter } from '@/lib/coordination/seats/port';
import { env } from '@/lib/env';
import { log } from '@/lib/observability/log';
import { breakerState, tidyUpRetries } from './metrics';
import { processSingleton } from '@/lib/process-singletons';

/** What the inventory functions need; tests pass real ones with a fake clock. */
export type InventoryDeps = {
  db: Database;
  /** The seat filter in front of PostgreSQL (lib/coordination/seats/port.ts). */
  seats: SeatFilter;
  now: () => Date;
  /** Guards every seat filter call; when it is open, holds go to PostgreSQL alone. */
  breaker: CircuitBreaker;
  /** Pauses before each retry of a tidy-up that frees seats in the filter (default TIDY_RETRY_MS). */
  tidyRetryMs?: readonly number[];
};

function createBreaker(timeoutMs = env().COORDINATOR_TIMEOUT_MS): CircuitBreaker {
  return new CircuitBreaker({
    timeoutMs,
    failureThreshold: 3,
    resetAfterMs: 1_000,
    onStateChange: (state, previous, cause) => {
      breakerState.set({}, state === 'open' ? 1 : 0);
      if (state === 'open')
        log().warn(
          { previous, err: cause },
          'coordinator unavailable: holds go to PostgreSQL alone (database-only mode)',
        );
      if (state === 'closed')
        log().info({ previous }, 'coordinator answers again: holds use it as a contention filter');
    },
  });
}

const breaker = processSingleton<{ current?: CircuitBreaker }>('coordinatorBreaker', () => ({}));

/** The process-wide dependencies. */
export async function inventoryDeps(): Promise<InventoryDeps> {
  breaker.current ??= createBreaker();
  return { db: await getDb(), seats: getCoordinator().seats, now: () => new Date(), breaker: breaker.current };
}

/** Runs a coordinator call that only tidies up (release, mark): failures are logged, never thrown. */
export async function bestEffort(deps: InventoryDeps, what: string, fn: () => Promise<unknown>): Promise<boolean> {
  const outcome = await deps.breaker.run(fn);
  if (!outcome.ok && outcome.reason !== 'open')
    log().debug({ what, reason: outcome.reason }, 'coordinator tidy-up skipped');
  return outcome.ok;
}

/** About half a minute of retries: longer than a Redis hiccup or a burst of timeouts, shorter than a hold. */
const TIDY_RETRY_MS = [1_000, 2_000, 4_000, 8_000, 16_000] as const;
/** Retries waiting at once in this process, at most (each is a timer and a closure). */
const MAX_PENDING_TIDY_UPS = 10_000;
let pendingTidyUps = 0;
let lastGaveUpWarning = 0;

/**
 * A tidy-up that gives seats back to the filter (clearing or releasing claims after PostgreSQL freed the seats).
 * Tried now like `bestEffort`; if the coordinator timed out, failed or was skipped, tried again later in the
 * background (TIDY_RETRY_MS), because until then the filter refuses seats that PostgreSQL would sell, for up to the
 * claim's TTL (a hold's length). Retrying is safe: clearing a claim only ever lets more requests through to
 * PostgreSQL, which decides. A process that dies with retries pending leaves those claims to their TTL.
 */
export async function freeInFilter(deps: InventoryDeps, what: string, fn: () => Promise<unknown>): Promise<void> {
  if (await bestEffort(deps, what, fn)) return;
  if (pendingTidyUps >= MAX_PENDING_TIDY_UPS) {
    tidyUpRetries.inc({ what, outcome: 'dropped' });
    return;
  }
  pendingTidyUps++;
  tidyUpRetries.inc({ what, outcome: 'scheduled' });
  const delays = deps.tidyRetryMs ?? TIDY_RETRY_MS;
  const attempt = (n: number) => {
    const timer = setTimeout(() => {
      void bestEffort(deps, what, fn).then((ok) => {
        if (ok || n + 1 >= delays.length) {
          pendingTidyUps--;
          tidyUpRetries.inc({ what, outcome: ok ? 'succeeded' : 'gave-up' });
          if (!ok && Date.now() - lastGaveUpWarning > 10_000) {
            // At most one line per ten seconds: in a long outage every release would write one.
            lastGaveUpWarning = Date.now();
            log().warn(
              { what, attempts: delays.length + 1 },
              'coordinator tidy-up failed for good: the filter refuses these seats until their claims expire',
            );
          }
        } else attempt(n + 1);
      });
    }, delays[n]);
    timer.unref?.();
  };
  attempt(0);
}
