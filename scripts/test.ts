/**
 * `npm test`: every test. Unit and integration tests (vitest; real PostgreSQL and Redis when DATABASE_URL and
 * REDIS_URL are set, the embedded ones otherwise), then the browser tests (Playwright against the built app).
 * Typecheck, lint and the format check run first, beside the production build; then vitest and Playwright run side by
 * side (Playwright's lines prefixed "[e2e]"), which keeps the whole suite well inside CI's 15 minutes: much of each is
 * waiting (servers starting, sign-up's password hashing, pages settling), not CPU. Ends with one line: "N passed, N
 * failed". Pass `--no-static`, `--no-e2e` or `--only-e2e` to run a part, `--serial` for one part after another.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { OwnedPostgres, portIn } from '../bench/lib/services';
import { ensureBuilt } from '../tests/support/app-server';
import { recreateDatabase } from '../tests/support/scratch-database';

const args = process.argv.slice(2);
const runUnit = !args.includes('--only-e2e');
const runE2e = !args.includes('--no-e2e');
const runStatic = !args.includes('--no-static') && !args.includes('--only-e2e');
const serial = args.includes('--serial');
const passthrough = args.filter((a) => !['--no-e2e', '--only-e2e', '--no-static', '--serial'].includes(a));

type Tally = { passed: number; failed: number; skipped: number };
const total: Tally = { passed: 0, failed: 0, skipped: 0 };
let exitCode = 0;

/** Runs a command to its end; with `prefix`, its output is passed on line by line under that prefix. */
function run(command: string, commandArgs: string[], env: NodeJS.ProcessEnv = process.env, prefix?: string) {
  return new Promise<number>((done) => {
    const child = spawn(command, commandArgs, { stdio: prefix ? ['ignore', 'pipe', 'pipe'] : 'inherit', env });
    if (prefix) {
      for (const [stream, out] of [
        [child.stdout!, process.stdout],
        [child.stderr!, process.stderr],
      ] as const) {
        let rest = '';
        stream.on('data', (chunk: Buffer) => {
          const lines = (rest + chunk.toString()).split('\n');
          rest = lines.pop()!;
          for (const line of lines) out.write(`${prefix} ${line}\n`);
        });
        stream.on('end', () => rest && out.write(`${prefix} ${rest}\n`));
      }
    }
    child.on('error', () => done(1));
    child.on('close', (code) => done(code ?? 1));
  });
}

function fail(code: number) {
  total.failed++;
  exitCode = code || 1;
}

function readJson<T>(path: string): T | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined;
}

/**
 * The browser tests' database: a fresh embedded directory, or with DATABASE_URL a fresh "<name>_e2e" database. Beside
 * vitest it is on a PostgreSQL cluster of its own (PostgreSQL 15 from the same binaries, on a spare port): the live
 * availability's watermark is the oldest transaction still running in the whole cluster (decision 019), so the
 * integration tests' deliberately long transactions would hold back what the browser tests' seat maps see.
 */
async function prepareE2eDatabase(): Promise<{ url?: string; stop: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    rmSync(process.env.E2E_DATA_DIR ?? '.data-e2e', { recursive: true, force: true });
    return { stop: async () => {} };
  }
  const name = `${new URL(url).pathname.slice(1) || 'admitone'}_e2e`;
  if (serial) return { url: await recreateDatabase(url, name), stop: async () => {} };
  const cluster = new OwnedPostgres(await portIn(5451, 5459));
  try {
    await cluster.init();
    return { url: await cluster.createDatabase(name), stop: () => cluster.destroy() };
  } catch (error) {
    // No PostgreSQL binaries here (a server elsewhere, in a container): the shared server, with the lag described above.
    await cluster.destroy();
    console.warn(
      `[e2e] no cluster of its own (${(error as Error).message.split('\n')[0]}); using ${name} on DATABASE_URL`,
    );
    return { url: await recreateDatabase(url, name), stop: async () => {} };
  }
}

/** Types, lint and format: a type error or an unformatted file fails the run like a failing test does. */
async function staticChecks() {
  for (const [name, bin, binArgs] of [
    ['typecheck', 'node_modules/.bin/tsc', ['--noEmit']],
    ['lint', 'node_modules/.bin/eslint', ['.', '--max-warnings=0']],
    ['format', 'node_modules/.bin/prettier', ['--check', '--log-level=warn', '.']],
  ] as const) {
    console.log(`\n> ${name}`);
    const code = await run(bin, [...binArgs]);
    if (code === 0) total.passed++;
    else fail(code);
  }
}

/** The production build the browser tests and the integration tests that start the app share (built once). */
async function build() {
  console.log('\n> build (beside the static checks)');
  try {
    await ensureBuilt();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    fail(1);
  }
}

async function unitAndIntegration() {
  rmSync('test-results/vitest.json', { force: true });
  const code = await run('node_modules/.bin/vitest', [
    'run',
    '--reporter=default',
    '--reporter=json',
    '--outputFile.json=test-results/vitest.json',
    ...passthrough,
  ]);
  const report = readJson<{
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
  }>('test-results/vitest.json');
  if (report) {
    total.passed += report.numPassedTests;
    total.failed += report.numFailedTests;
    total.skipped += report.numPendingTests + report.numTodoTests;
  }
  if (code !== 0) {
    exitCode = code;
    if (!report || report.numFailedTests === 0) total.failed += 1; // a crash or a failing hook counts as a failure
  }
}

async function browser() {
  const database = await prepareE2eDatabase();
  rmSync('test-results/e2e.json', { force: true });
  const code = await run(
    'node_modules/.bin/playwright',
    ['test'],
    { ...process.env, ...(database.url ? { E2E_DATABASE_URL: database.url } : {}) },
    serial ? undefined : '[e2e]',
  ).finally(() => database.stop());
  const report = readJson<{ stats: { expected: number; unexpected: number; skipped: number; flaky: number } }>(
    'test-results/e2e.json',
  );
  if (report) {
    total.passed += report.stats.expected + report.stats.flaky;
    total.failed += report.stats.unexpected;
    total.skipped += report.stats.skipped;
  }
  if (code !== 0) {
    exitCode = code;
    if (!report || report.stats.unexpected === 0) total.failed += 1;
  }
}

async function main() {
  const started = Date.now();
  const building = runE2e ? build() : Promise.resolve();
  if (serial) await building;
  if (runStatic) await staticChecks();
  await building;
  if (serial) {
    if (runUnit) await unitAndIntegration();
    if (runE2e) await browser();
  } else {
    await Promise.all([runUnit ? unitAndIntegration() : undefined, runE2e ? browser() : undefined]);
  }
  console.log(`\nnpm test took ${((Date.now() - started) / 60_000).toFixed(1)} min`);
  console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  process.exit(exitCode);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
