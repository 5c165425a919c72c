/**
 * Which PostgreSQL and Redis a benchmark runs on: the machine's (BENCH_DATABASE_URL / DATABASE_URL, REDIS_URL, or
 * 127.0.0.1 defaults), or with BENCH_SERVICES=own a PostgreSQL cluster and a redis-server of its own on spare ports
 * (bench/lib/services.ts), so nothing else on the machine shows up in their CPU figures. Either way the app and
 * the reference share them.
 */
import postgres from 'postgres';
import { ownServices } from './services';
import { assertRedis, benchRedisUrl } from './setup';

export type BenchServices = { redisUrl: string; own: boolean; stop: () => Promise<void> };

/** The services' stop, for `runBench` to call when the benchmark fails. */
let stopServices: (() => Promise<void>) | undefined;

export async function benchServices(): Promise<BenchServices> {
  if (process.env.BENCH_SERVICES === 'own') {
    const services = await ownServices();
    process.env.BENCH_DATABASE_URL = services.pg.url();
    stopServices = services.stop;
    return { redisUrl: services.redis.url, own: true, stop: services.stop };
  }
  const redisUrl = benchRedisUrl();
  await assertRedis(redisUrl);
  return { redisUrl, own: false, stop: async () => {} };
}

/** One connection to the `postgres` database of the server behind `databaseUrl` (for statistics of the server). */
export function pgAdmin(databaseUrl: string): postgres.Sql {
  const u = new URL(databaseUrl);
  u.pathname = '/postgres';
  return postgres(u.toString(), { max: 1, onnotice: () => {} });
}

/** Runs a benchmark's `main`; when it fails, own services (BENCH_SERVICES=own) are stopped too before exiting 1. */
export function runBench(main: () => Promise<void>): void {
  main().catch(async (error: unknown) => {
    console.error(error);
    await stopServices?.().catch(() => {});
    process.exit(1);
  });
}
