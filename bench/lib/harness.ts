/**
 * What every on-sale run needs: our own PostgreSQL and Redis, a migrated database, the built app started with
 * `next start` on a port of 3440-3459 (restartable, and killable with SIGKILL for the crash scenario), and the
 * no-op route baseline measured on that same app.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { openDatabase, type DatabaseHandle } from '@/db/client';
import { migrate } from '@/db/migrations-runner';
import { parseEnv } from '@/lib/env';
import { ensureBuilt, serverArgs, serverEnv, stopProcess } from '../../tests/support/app-server';
import { runLoad, type LoadResult } from './http-load';
import { ownServices, portIn, type OwnedPostgres, type OwnedRedis } from './services';
import { profileArgs } from './profile';

const root = resolve(__dirname, '../..');

export class App {
  private child?: ChildProcess;
  private log = '';
  constructor(
    readonly port: number,
    private env: Record<string, string>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  output(): string {
    return this.log;
  }

  async start(extraEnv: Record<string, string> = {}): Promise<void> {
    this.env = { ...this.env, ...extraEnv };
    const child = spawn(process.execPath, [...profileArgs(), ...serverArgs(this.port)], {
      cwd: root,
      env: { ...serverEnv(this.port), ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.on('data', (d: Buffer) => (this.log = (this.log + d.toString()).slice(-200_000)));
    child.stderr?.on('data', (d: Buffer) => (this.log = (this.log + d.toString()).slice(-200_000)));
    for (let i = 0; i < 300; i++) {
      if (child.exitCode !== null) throw new Error(`app exited early:\n${this.log.slice(-5_000)}`);
      try {
        const res = await fetch(`${this.url}/api/health/live`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`app did not start on ${this.port}`);
  }

  /** SIGKILL: no shutdown hooks, in-flight requests die with it. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    if (this.child) await stopProcess(this.child);
  }
}

export type Harness = {
  pg: OwnedPostgres;
  redis: OwnedRedis;
  database: string;
  databaseUrl: string;
  handle: DatabaseHandle;
  app: App;
  close: () => Promise<void>;
};

/** Starts our services and a migrated database; builds the app if needed (it is started by `app.start()`). */
export async function startHarness(name: string, appEnv: Record<string, string> = {}): Promise<Harness> {
  const services = await ownServices();
  const database = `admitone_${name}`;
  try {
    const databaseUrl = await services.pg.createDatabase(database);
    const handle = await openDatabase(parseEnv({ DATABASE_URL: databaseUrl }), { maxConnections: 10 });
    await migrate(handle);
    await ensureBuilt({ bench: true });
    const port = Number(process.env.ONSALE_APP_PORT) || (await portIn(3440, 3459));
    // The simulated buyers each send an X-Forwarded-For of their own, as the proxy in front would (deploy/nginx.conf).
    const app = new App(port, {
      DATABASE_URL: databaseUrl,
      REDIS_URL: services.redis.url,
      TRUSTED_PROXIES: '127.0.0.1',
      BENCH_ROUTES: '1',
      DATABASE_POOL_MAX: process.env.ONSALE_POOL_MAX ?? '20',
      ...appEnv,
    });
    let closed = false;
    const close = async () => {
      if (closed) return;
      closed = true;
      await app.stop().catch(() => {});
      await handle.close().catch(() => {});
      await services.stop();
    };
    process.once('SIGINT', () => void close().then(() => process.exit(130)));
    return { pg: services.pg, redis: services.redis, database, databaseUrl, handle, app, close };
  } catch (error) {
    await services.stop();
    throw error;
  }
}

/**
 * Runs a scenario on the harness: when it fails, the app's last output is printed before the error is passed on; the
 * harness is closed either way, then `after` runs (what the scenario started besides).
 */
export async function onHarness<T>(h: Harness, scenario: () => Promise<T>, after?: () => Promise<void>): Promise<T> {
  try {
    return await scenario();
  } catch (error) {
    console.error(h.app.output().slice(-3_000));
    throw error;
  } finally {
    await h.close();
    await after?.();
  }
}

/** The no-op route of the same app, closed loop: the yardstick every figure is divided by. */
export function baseline(
  url: string,
  seconds = Number(process.env.ONSALE_BASELINE_SECONDS ?? 5),
  connections = 32,
): Promise<LoadResult> {
  return runLoad({
    name: 'no-op route (baseline)',
    baseUrl: url,
    connections,
    durationMs: seconds * 1000,
    warmupMs: 1_000,
    next: () => ({ method: 'GET', path: '/api/bench/noop' }),
  });
}

export const fmt = (n: number, digits = 1) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : '-';

/** One PASS/FAIL line per criterion; returns whether all passed. */
export function verdict(criteria: [what: string, ok: boolean, figure: string][]): boolean {
  for (const [what, ok, figure] of criteria) console.log(`${ok ? 'PASS' : 'FAIL'}  ${what}: ${figure}`);
  const all = criteria.every(([, ok]) => ok);
  console.log(all ? '\nVERDICT: PASS' : '\nVERDICT: FAIL');
  return all;
}

/** The verdict line of the database audit (bench/lib/onsale.ts auditSale): PASS when nothing was found. */
export function auditCriterion(audit: { violations: string[] }, what = 'audit clean'): [string, boolean, string] {
  return [
    what,
    audit.violations.length === 0,
    audit.violations.length ? audit.violations.slice(0, 5).join('; ') : 'clean',
  ];
}
