import 'server-only';
import { getDb } from '@/db/client';
import { getCoordinator } from '@/lib/coordination';
import { log } from '@/lib/observability/log';
import { runQueueTick } from './run-queue-tick';

const holder = globalThis as { __admitoneQueueScheduler?: ReturnType<typeof setInterval> };

/**
 * Runs runQueueTick every couple of seconds in this server process (started from instrumentation.ts). Ticks never
 * overlap within a process; across processes they are safe by construction (atomic admission, leased draws).
 */
export function startQueueScheduler(intervalMs = 2_000): void {
  if (holder.__admitoneQueueScheduler) return;
  let running = false;
  let lastComplaint = 0;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void (async () => {
      try {
        await runQueueTick({ db: await getDb(), coordinator: getCoordinator() });
      } catch (error) {
        // One line a minute at most: a dependency that is down is reported by /api/health as well.
        if (Date.now() - lastComplaint > 60_000) {
          lastComplaint = Date.now();
          log().warn({ err: error }, 'waiting room: scheduled tick failed; polls still admit lazily');
        }
      } finally {
        running = false;
      }
    })();
  }, intervalMs);
  timer.unref();
  holder.__admitoneQueueScheduler = timer;
}

export function stopQueueScheduler(): void {
  clearInterval(holder.__admitoneQueueScheduler);
  holder.__admitoneQueueScheduler = undefined;
}
