/**
 * Processes a harness owns: a PostgreSQL cluster (initdb/pg_ctl on a spare port under /tmp) and a redis-server on a
 * spare port, so fault scenarios can stop, kill and restart them without touching the machine's shared services.
 */
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { createServer } from 'node:net';
import { OwnedRedis } from '../../tests/support/redis-process';

const PG_BIN = process.env.PG_BIN || '/usr/lib/postgresql/15/bin';

/** The first free port in [from, to] on loopback. */
export async function portIn(from: number, to: number): Promise<number> {
  for (let port = from; port <= to; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port in ${from}-${to}`);
}

/** PostgreSQL refuses to run as root: run its tools as the postgres user then. */
const asPgUser = (args: string[]): [string, string[]] =>
  process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', ...args]] : [args[0]!, args.slice(1)];

function run(args: string[], what: string): string {
  const [cmd, rest] = asPgUser(args);
  const result = spawnSync(cmd, rest, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${what} failed (${result.status}): ${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

export class OwnedPostgres {
  readonly dir: string;
  private started = false;
  constructor(readonly port: number) {
    this.dir = mkdtempSync(join(tmpdir(), `onsale-pg-${port}-`));
    if (process.getuid?.() === 0)
      chownSync(
        this.dir,
        Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim()),
        Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim()),
      );
  }

  /** Superuser URL of a database in this cluster. */
  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async init(): Promise<void> {
    run(
      [
        `${PG_BIN}/initdb`,
        '-D',
        join(this.dir, 'data'),
        '-U',
        'postgres',
        '--auth=trust',
        '--no-sync',
        '-E',
        'UTF8',
        '--locale=C',
      ],
      'initdb',
    );
    await this.start();
  }

  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB -c fsync=on -c synchronous_commit=on -c full_page_writes=on -c log_min_messages=fatal`;
    run(
      [
        `${PG_BIN}/pg_ctl`,
        '-D',
        join(this.dir, 'data'),
        '-o',
        options,
        '-l',
        join(this.dir, 'log'),
        '-w',
        '-t',
        '60',
        'start',
      ],
      'pg_ctl start',
    );
    this.started = true;
  }

  /** `pg_ctl stop -m immediate`: no checkpoint, every backend dies at once; crash recovery at the next start. */
  stopImmediate(): void {
    run(
      [`${PG_BIN}/pg_ctl`, '-D', join(this.dir, 'data'), '-m', 'immediate', '-w', 'stop'],
      'pg_ctl stop -m immediate',
    );
  }

  async createDatabase(name: string): Promise<string> {
    const admin = postgres(this.url(), { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`create database "${name}"`);
    } finally {
      await admin.end();
    }
    return this.url(name);
  }

  /** Connections to a database by application name (for leak checks). */
  async connections(database: string): Promise<Record<string, number>> {
    const admin = postgres(this.url(), { max: 1, onnotice: () => {} });
    try {
      const found = await admin<
        { app: string; n: number }[]
      >`select coalesce(application_name, '') as app, count(*)::int as n from pg_stat_activity where datname = ${database} group by 1`;
      return Object.fromEntries(found.map((r) => [r.app, r.n]));
    } finally {
      await admin.end();
    }
  }

  async destroy(): Promise<void> {
    if (this.started && existsSync(join(this.dir, 'data', 'postmaster.pid'))) {
      try {
        run([`${PG_BIN}/pg_ctl`, '-D', join(this.dir, 'data'), '-m', 'fast', '-w', 'stop'], 'pg_ctl stop');
      } catch {
        // already stopped
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export { OwnedRedis };

/** Our own PostgreSQL (55432-55439) and Redis (56379-56389), started; `stop()` removes both. */
export async function ownServices(): Promise<{ pg: OwnedPostgres; redis: OwnedRedis; stop: () => Promise<void> }> {
  const pg = new OwnedPostgres(Number(process.env.ONSALE_PG_PORT) || (await portIn(55432, 55439)));
  const redis = new OwnedRedis(Number(process.env.ONSALE_REDIS_PORT) || (await portIn(56379, 56389)));
  await pg.init();
  await redis.start();
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await redis.kill();
    await pg.destroy();
  };
  return { pg, redis, stop };
}
