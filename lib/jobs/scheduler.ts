import 'server-only';
import { log } from '@/lib/observability/log';
import { processSingleton } from '@/lib/process-singletons';

type Job = { name: string; everyMs: number; run: () => Promise<unknown> };
const timers = processSingleton('jobs', () => new Map<string, ReturnType<typeof setInterval>>());

/**
 * Runs background jobs in the server process (started from instrumentation.ts). A run never overlaps the previous
 * one; jobs must be safe to run in several app instances at once (they use SKIP LOCKED or atomic scripts).
 */
export function startJobs(jobs: Job[]): void {
  for (const job of jobs) {
    if (timers.has(job.name)) continue;
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      job
        .run()
        .catch((error: unknown) => log().warn({ err: error, job: job.name }, 'background job failed'))
        .finally(() => {
          running = false;
        });
    }, job.everyMs);
    timer.unref?.();
    timers.set(job.name, timer);
  }
}
