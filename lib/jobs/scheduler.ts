import 'server-only';
import { hostname } from 'node:os';
import { createHash, randomUUID } from 'node:crypto';
import type { Leases } from '@/lib/coordination/leases/port';
import { log } from '@/lib/observability/log';
import { metrics } from '@/lib/observability/metrics';
import { processSingleton } from '@/lib/process-singletons';

/**
 * A background job. `cluster` (the default): one run per interval across every process of every app instance that
 * shares the coordinator. `process`: every process runs it (work on this process's own state).
 */
export type Job = { name: string; everyMs: number; scope?: 'cluster' | 'process'; run: () => Promise<unknown> };

export type SchedulerDeps = {
  /** The coordinator's leases (Redis when configured, so every instance sees the same ones). */
  leases: () => Leases;
  /** Who holds a lease: unique per process. */
  owner: string;
  /**
   * What the processes competing for a job share: the database they work on (one Redis may serve several
   * deployments or test databases; each must still get its own runs).
   */
  namespace?: string;
  now?: () => number;
};

const jobRuns = metrics.counter(
  'admitone_background_job_runs_total',
  'Background job runs started by this process (a cluster-wide job runs in one process per interval)',
  ['job'],
);

const started = processSingleton('jobs', () => new Map<string, () => void>());

/** The database the jobs work on, as a short tag (host, port and name; never the credentials). */
export function databaseNamespace(databaseUrl: string | undefined): string {
  if (!databaseUrl) return 'embedded';
  const url = new URL(databaseUrl);
  return createHash('sha256').update(`${url.hostname}:${url.port}${url.pathname}`).digest('hex').slice(0, 12);
}

/** This process's lease owner: host, pid and a random part (a restarted process is a new owner). */
export const processOwner = (): string => `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

/** Warns at most once a minute per job that its lease could not be asked for (it then runs anyway). */
const lastLeaseWarning = new Map<string, number>();

/**
 * Runs one job at the start of every interval of wall-clock time (a multiple of `everyMs` since the epoch, plus a
 * small jitter per process). A cluster-wide job first takes the lease named after that interval; the process that
 * gets it runs the job and the others skip it until the next interval. The lease names its interval, so it never
 * needs renewing or handing over: a process that dies simply stops competing, and the next interval goes to one of
 * the others. When the coordinator cannot be asked, the job runs anyway: every job is safe to run in several processes
 * at once (SKIP LOCKED, conditional updates, atomic scripts); the lease only saves the duplicate work.
 * A run never overlaps this process's previous run of the same job. Returns a function that stops the job.
 */
export function scheduleJob(job: Job, deps: SchedulerDeps): () => void {
  const now = deps.now ?? Date.now;
  const jitterMs = Math.floor(Math.random() * Math.min(250, job.everyMs / 10));
  let running = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const mayRun = async (interval: number): Promise<boolean> => {
    if (job.scope === 'process') return true;
    try {
      const key = `{job:${job.name}}:${deps.namespace ?? ''}:${interval}`;
      return await deps.leases().acquire(key, deps.owner, job.everyMs * 2);
    } catch (error) {
      const last = lastLeaseWarning.get(job.name) ?? 0;
      // Not in a process's first seconds: its first ticks may come before the coordinator's connection is up.
      if (now() - last > 60_000 && process.uptime() > 30) {
        lastLeaseWarning.set(job.name, now());
        log().warn({ err: error, job: job.name }, 'background job lease unavailable; running it here anyway');
      }
      return true;
    }
  };

  // The interval the pending timer fires in (decided when it is set, so a timer a millisecond early cannot claim the
  // interval before).
  let interval = 0;
  const tick = () => {
    if (stopped) return;
    const mine = interval;
    schedule();
    if (running) return;
    running = true;
    mayRun(mine)
      .then((won) => {
        if (!won) return;
        jobRuns.inc({ job: job.name });
        return job.run();
      })
      .catch((error: unknown) => log().warn({ err: error, job: job.name }, 'background job failed'))
      .finally(() => {
        running = false;
      });
  };

  const schedule = () => {
    const at = now();
    interval = Math.floor(at / job.everyMs) + 1;
    timer = setTimeout(tick, interval * job.everyMs + jitterMs - at);
    timer.unref?.();
  };

  schedule();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/** Starts the server process's background jobs once (started from instrumentation.ts; a second call adds nothing). */
export function startJobs(jobs: Job[], deps: SchedulerDeps): void {
  for (const job of jobs) {
    if (started.has(job.name)) continue;
    started.set(job.name, scheduleJob(job, deps));
  }
}
