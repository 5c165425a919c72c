/**
 * `npm test`: every test. Unit and integration tests (vitest; real PostgreSQL and Redis when DATABASE_URL and
 * REDIS_URL are set, the embedded ones otherwise), then the browser tests (Playwright against the built app).
 * Typecheck, lint and the format check run first. Ends with one line: "N passed, N failed".
 * Pass `--no-static`, `--no-e2e` or `--only-e2e` to run a part.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { recreateDatabase } from '../tests/support/scratch-database';

const args = process.argv.slice(2);
const runUnit = !args.includes('--only-e2e');
const runE2e = !args.includes('--no-e2e');
const runStatic = !args.includes('--no-static') && !args.includes('--only-e2e');
const passthrough = args.filter((a) => !['--no-e2e', '--only-e2e', '--no-static'].includes(a));

type Tally = { passed: number; failed: number; skipped: number };
const total: Tally = { passed: 0, failed: 0, skipped: 0 };
let exitCode = 0;

function run(command: string, commandArgs: string[], env: NodeJS.ProcessEnv = process.env): number {
  const result = spawnSync(command, commandArgs, { stdio: 'inherit', env });
  return result.status ?? 1;
}

function readJson<T>(path: string): T | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined;
}

async function prepareE2eDatabase(): Promise<string | undefined> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    rmSync(process.env.E2E_DATA_DIR ?? '.data-e2e', { recursive: true, force: true });
    return undefined;
  }
  return recreateDatabase(url, `${new URL(url).pathname.slice(1) || 'admitone'}_e2e`);
}

async function main() {
  if (runStatic) {
    // Types, lint and format first: a type error or an unformatted file fails the run like a failing test does.
    for (const [name, bin, binArgs] of [
      ['typecheck', 'node_modules/.bin/tsc', ['--noEmit']],
      ['lint', 'node_modules/.bin/eslint', ['.', '--max-warnings=0']],
      ['format', 'node_modules/.bin/prettier', ['--check', '--log-level=warn', '.']],
    ] as const) {
      console.log(`\n> ${name}`);
      const code = run(bin, [...binArgs]);
      if (code === 0) total.passed++;
      else {
        total.failed++;
        exitCode = code;
      }
    }
  }
  if (runUnit) {
    rmSync('test-results/vitest.json', { force: true });
    const code = run('node_modules/.bin/vitest', [
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
  if (runE2e) {
    const e2eUrl = await prepareE2eDatabase();
    rmSync('test-results/e2e.json', { force: true });
    const code = run('node_modules/.bin/playwright', ['test'], {
      ...process.env,
      ...(e2eUrl ? { E2E_DATABASE_URL: e2eUrl } : {}),
    });
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
  console.log(`\n${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  process.exit(exitCode);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
