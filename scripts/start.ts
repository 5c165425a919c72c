/**
 * `npm start` (and `npm run dev` with --dev): one command from a fresh clone to a running app.
 * Validates configuration, creates the embedded secrets once, migrates while it builds (when the sources changed),
 * then serves on http://localhost:$PORT; the server adds the demo data of a first start in the background and prints
 * the URL and the demo accounts last. `--seed-first` seeds before serving (the browser tests want every event there
 * from the first request); `--build` builds even when nothing changed.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { coordinatorMode, databaseMode, parseEnv, paymentsMode, webConcurrency, type Env } from '../lib/env';
import { describeStartupError } from '../lib/startup-errors';
import { needsBuild } from './build-state';
import { addCompileHints } from './compile-hints';

const dev = process.argv.includes('--dev');
const SECRETS = ['AUTH_SECRET', 'QUEUE_TOKEN_SECRET', 'TICKET_KEY_SECRET', 'CRON_SECRET'] as const;

function fail(message: string): never {
  console.error(`\n✖ ${message}\n`);
  process.exit(1);
}

/** Secrets the embedded mode keeps under the data directory, generated on first start and reused after. */
function ensureSecrets(env: Env, childEnv: NodeJS.ProcessEnv): void {
  const missing = SECRETS.filter((name) => !env[name]);
  if (missing.length === 0) return;
  if (env.NODE_ENV === 'production' && env.DATABASE_URL) {
    fail(
      `Set ${missing.join(', ')} (32+ random characters each, e.g. \`openssl rand -base64 48\`). Every app instance needs the same values.`,
    );
  }
  const file = resolve(env.ADMITONE_DATA_DIR, 'secrets.json');
  mkdirSync(env.ADMITONE_DATA_DIR, { recursive: true });
  const stored: Record<string, string> = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>)
    : {};
  let changed = false;
  for (const name of missing) {
    if (!stored[name]) {
      stored[name] = randomBytes(48).toString('base64url');
      changed = true;
    }
    childEnv[name] = stored[name];
  }
  if (changed) writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Migrates (and with --seed-first, seeds before serving, as the browser tests want); returns whether to seed at all. */
async function prepareDatabase(env: Env, seedFirst: boolean): Promise<boolean> {
  const started = Date.now();
  // Imported here so configuration errors are reported before any driver loads.
  const { openDatabase } = await import('../db/client');
  const { migrate } = await import('../db/migrations-runner');
  const handle = await openDatabase(env);
  try {
    const { applied, total } = await migrate(handle);
    const where = handle.mode === 'pglite' ? `embedded PGlite in ${handle.location}` : 'PostgreSQL';
    console.log(
      `• Database: ${where}, ${applied ? `${applied} of ${total} migrations applied` : `${total} migrations, all applied`} (${seconds(Date.now() - started)})`,
    );
    const demo = handle.mode === 'pglite' || process.env.ADMITONE_SEED === '1';
    if (demo && seedFirst) {
      const { seed } = await import('../db/seed/seed');
      const report = await seed(handle, { log: (line) => console.log(line) });
      if (!report.skipped)
        console.log(
          `• Demo data: ${report.venues} venues, ${report.events} events, ${report.seats.toLocaleString('en')} event seats (${seconds(report.ms)})`,
        );
    }
    return demo;
  } finally {
    await handle.close(); // PGlite: the server process opens the directory next; one process at a time
  }
}

/** Lines of `next build` worth showing at a start; the rest (the route table, its notices) is kept for a failure. */
const BUILD_PROGRESS =
  /Compiled successfully in|Compiled with warnings|Generating static pages .*\(\d+\/\d+\) in|Failed to compile|Build error|Error:/;

/**
 * `next build` without its route table: progress lines with their times, a heartbeat while Turbopack compiles, and
 * the whole output only if it fails. Its type check is off (next.config.js): `npm test` runs tsc on everything.
 */
function build(childEnv: NodeJS.ProcessEnv): Promise<void> {
  const started = Date.now();
  console.log('• Building the app (first start or changed sources; one to two minutes)…');
  const child = spawn(process.execPath, [resolve('node_modules/next/dist/bin/next'), 'build'], {
    // Never a build for benchmarks (next.config.js): the one npm start serves has no `.bench.ts` routes.
    env: { ...childEnv, NEXT_TELEMETRY_DISABLED: '1', BENCH_BUILD: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const onData = (chunk: Buffer) => {
    const text = chunk.toString();
    output += text;
    for (const line of text.split('\n'))
      if (BUILD_PROGRESS.test(line)) console.log(`  ${line.replace(/^[\s✓]+/, '').trim()}`);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const heartbeat = setInterval(() => console.log(`  … still building (${seconds(Date.now() - started)})`), 20_000);
  return new Promise((done) => {
    child.on('exit', (code) => {
      clearInterval(heartbeat);
      if (code !== 0) {
        console.error(output);
        fail('The build failed (its output is above).');
      }
      addCompileHints();
      console.log(`• Built in ${seconds(Date.now() - started)}`);
      done();
    });
  });
}

async function main() {
  const startedAt = Date.now();
  let env: Env;
  try {
    env = parseEnv(process.env);
  } catch (error) {
    fail(describeStartupError(error));
  }
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: dev ? 'development' : 'production' };
  ensureSecrets(env, childEnv);

  const coordinator =
    coordinatorMode(env) === 'memory' ? 'in-process coordinator' : `coordinator: ${coordinatorMode(env)}`;
  const payments = paymentsMode(env) === 'simulated' ? 'simulated payments (test cards)' : 'Stripe payments';
  // One process per core once PostgreSQL and Redis hold all shared state; lib/env.ts refuses more than one otherwise.
  const workers = dev ? 1 : webConcurrency(env, availableParallelism());
  const processes = workers > 1 ? `, ${workers} processes` : '';
  console.log(`AdmitOne${dev ? ' (development)' : ''}: ${coordinator}, ${payments}${processes}`);

  // The build needs no database, so migrating runs beside it.
  const building = !dev && (process.argv.includes('--build') || needsBuild()) ? build(childEnv) : Promise.resolve();
  let demo: boolean;
  try {
    demo = await prepareDatabase(env, process.argv.includes('--seed-first'));
  } catch (error) {
    fail(describeStartupError(error));
  }
  await building;

  console.log('• Starting the server…');
  const args = [
    ...(dev ? ['--dev'] : []),
    '--port',
    String(env.PORT),
    '--started-at',
    String(startedAt),
    ...(demo ? ['--demo'] : []),
    ...(workers > 1 ? ['--workers', String(workers)] : []),
  ];
  if (databaseMode(env) === 'pglite') args.push('--data-dir', env.ADMITONE_DATA_DIR);
  const server = spawn(process.execPath, ['--import', 'tsx', resolve('scripts/server.ts'), ...args], {
    stdio: 'inherit',
    // Never a build for benchmarks (next.config.js): the one npm start serves has no `.bench.ts` routes.
    env: { ...childEnv, NEXT_TELEMETRY_DISABLED: '1', BENCH_BUILD: '0' },
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.kill(signal));
  server.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

void main();
