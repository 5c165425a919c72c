/**
 * `npm start` (and `npm run dev` with --dev): one command from a fresh clone to a running app.
 * Validates configuration, creates the embedded secrets once, migrates, seeds on first run, builds when the
 * sources changed, then serves on http://localhost:$PORT.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { appUrl, coordinatorMode, databaseMode, parseEnv, paymentsMode, type Env } from '../lib/env';
import { describeStartupError } from '../lib/startup-errors';
import { needsBuild } from './build-state';

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
    fail(`Set ${missing.join(', ')} (32+ random characters each, e.g. \`openssl rand -base64 48\`). Every app instance needs the same values.`);
  }
  const file = resolve(env.ADMITONE_DATA_DIR, 'secrets.json');
  mkdirSync(env.ADMITONE_DATA_DIR, { recursive: true });
  const stored: Record<string, string> = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
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

async function prepareDatabase(env: Env): Promise<void> {
  // Imported here so configuration errors are reported before any driver loads.
  const { openDatabase } = await import('../db/client');
  const { migrate } = await import('../db/migrations-runner');
  const { seed, DEMO_ACCOUNTS } = await import('../db/seed/seed');
  const handle = await openDatabase(env);
  try {
    const { applied, total } = await migrate(handle);
    console.log(`• Database: ${handle.mode === 'pglite' ? 'embedded PGlite' : 'PostgreSQL'} at ${handle.location} (${total} migrations${applied ? `, ${applied} applied now` : ''})`);
    if (handle.mode === 'pglite' || process.env.ADMITONE_SEED === '1') {
      const report = await seed(handle, { log: (line) => console.log(line) });
      if (!report.skipped) console.log(`• Seeded ${report.venues} venues, ${report.events} events and ${report.seats.toLocaleString('en')} event seats in ${(report.ms / 1000).toFixed(1)} s`);
      console.log(`• Demo accounts: ${DEMO_ACCOUNTS.admin.email} / ${DEMO_ACCOUNTS.admin.password} (admin), ${DEMO_ACCOUNTS.buyer.email} / ${DEMO_ACCOUNTS.buyer.password} (buyer)`);
    }
  } finally {
    await handle.close(); // PGlite: the server process opens the directory next; one process at a time
  }
}

async function main() {
  let env: Env;
  try {
    env = parseEnv(process.env);
  } catch (error) {
    fail(describeStartupError(error));
  }
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: dev ? 'development' : 'production' };
  ensureSecrets(env, childEnv);

  console.log(`AdmitOne ${dev ? '(development)' : ''}`);
  console.log(`• Coordinator: ${coordinatorMode(env) === 'memory' ? 'in-process' : coordinatorMode(env)}   Payments: ${paymentsMode(env) === 'simulated' ? 'simulated gateway (test mode)' : 'Stripe'}`);
  try {
    await prepareDatabase(env);
  } catch (error) {
    fail(describeStartupError(error));
  }

  const next = resolve('node_modules/next/dist/bin/next');
  if (!dev && (process.argv.includes('--build') || needsBuild())) {
    console.log('• Building the app (first start or changed sources; this takes a minute or two)…');
    const build = spawnSync(process.execPath, [next, 'build'], { stdio: 'inherit', env: { ...childEnv, NEXT_TELEMETRY_DISABLED: '1' } });
    if (build.status !== 0) fail('The build failed (see above).');
  }

  console.log(`• Serving on ${appUrl(env)}${databaseMode(env) === 'pglite' ? ` (data in ${env.ADMITONE_DATA_DIR}/)` : ''}\n`);
  const server = spawn(process.execPath, ['--import', 'tsx', resolve('scripts/server.ts'), ...(dev ? ['--dev'] : []), '--port', String(env.PORT)], {
    stdio: 'inherit',
    env: { ...childEnv, NEXT_TELEMETRY_DISABLED: '1' },
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.kill(signal));
  server.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

void main();
