/**
 * What the benchmarks that run the built app share: the app's environment, the CPU meter and phase context over the
 * app and its services, the load generator's priority, and where results are written.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { pgAdmin } from './bench-services';
import { CpuMeter, postmasterPid, redisPid } from './cpu';
import { fmt, targetLines, type BenchContext, type Target_ } from './phases';

/** METRICS_TOKEN, or a new random one: the phases read the app's counters with it. */
export const benchMetricsToken = () => process.env.METRICS_TOKEN || randomBytes(32).toString('base64url');

/** The app's environment under benchmark, on the given database and Redis. */
export function benchAppEnv(databaseUrl: string, redisUrl: string, metricsToken: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    DATABASE_POOL_MAX: '20',
    // The engine is measured without load shedding (64 clients would mostly be answered 503 by design, which says
    // nothing about holds); BENCH_SHED=1 keeps the shipped limits. Shedding has its own scenario: npm run chaos -- overload.
    ...(process.env.BENCH_SHED === '1' ? {} : { SHED_MAX_IN_FLIGHT: '0' }),
    BENCH_ROUTES: '1',
    // Buyers' addresses come in X-Forwarded-For, as from a proxy on this machine.
    TRUSTED_PROXIES: '127.0.0.1/8,::1',
    METRICS_TOKEN: metricsToken,
  };
}

/**
 * A CPU meter over the named server processes plus PostgreSQL and Redis (when they run on this machine), and the
 * context the phases run in. `stats` is a connection the caller ends.
 */
export async function benchMeter(options: {
  databaseUrl: string;
  redisUrl: string;
  database: string;
  servers: Record<string, number | undefined>;
  metrics: BenchContext['metrics'];
}) {
  const stats = pgAdmin(options.databaseUrl);
  const postmaster = await postmasterPid(options.databaseUrl);
  const redisServer = await redisPid(options.redisUrl);
  const meter = new CpuMeter({ ...options.servers, pg: postmaster, redis: redisServer }, postmaster);
  const ctx: BenchContext = {
    meter,
    pgAdmin: stats,
    databases: [options.database],
    metrics: options.metrics,
    waitQuietMs: Number(process.env.BENCH_WAIT_QUIET ?? 0) * 1000,
  };
  return { ctx, meter, stats, postmaster, redisServer };
}

/** Once the servers are started: this process (the load generator) yields the CPU to them when both want it. */
export function lowerPriority(nice: number): void {
  try {
    setPriority(nice);
  } catch {
    // not permitted: leave it
  }
}

/** Writes a run's results to bench/results/<kind>-<time>.json and returns the file's path. */
export function writeResults(kind: string, results: unknown): string {
  mkdirSync('bench/results', { recursive: true });
  const file = `bench/results/${kind}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, JSON.stringify(results, null, 2));
  return file;
}

/**
 * The benchmark's checks of itself, one line each (`check(ok, text)` adds one), and `closing`: the end of its report,
 * with those checks, the targets met or missed and how long it all took.
 */
export function benchChecks() {
  const lines: string[] = [];
  const check = (ok: boolean, text: string) => lines.push(`${ok ? 'ok     ' : 'PROBLEM'}  ${text}`);
  const closing = (targets: Target_[], startedAt: number) => [
    '',
    'Checks of the benchmark itself:',
    ...lines,
    '',
    'Targets:',
    targetLines(targets),
    '',
    `Total time ${fmt((Date.now() - startedAt) / 1000, 0)} s`,
  ];
  return { lines, check, closing };
}
