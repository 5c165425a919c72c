import { defineConfig, devices } from '@playwright/test';

/**
 * Browser tests drive Debian's Chromium against the built app, started the way `npm start` starts it, on its own
 * port and its own data: a fresh embedded directory, or (with DATABASE_URL) a fresh "<name>_e2e" database that
 * scripts/test.ts creates.
 */
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${port}`;

export default defineConfig({
  testDir: 'tests/e2e',
  // Not test-results itself, which Playwright empties when it starts: vitest writes its report there at the same time.
  outputDir: 'test-results/e2e-artifacts',
  fullyParallel: false,
  // One spec file at a time by default: beside vitest on two cores, two at a time made specs time out (tried in CI).
  // E2E_WORKERS=2 runs two files at a time against the one server, which passes on a quiet machine.
  workers: Number(process.env.E2E_WORKERS ?? 1),
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI
    ? [['list'], ['json', { outputFile: 'test-results/e2e.json' }]]
    : [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  use: {
    baseURL,
    trace: 'on-first-retry',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], channel: undefined } }],
  webServer: {
    command: 'node_modules/.bin/tsx --conditions=react-server scripts/start.ts --seed-first',
    url: `${baseURL}/api/health`,
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      PORT: String(port),
      ADMITONE_DATA_DIR: process.env.E2E_DATA_DIR ?? '.data-e2e',
      ADMITONE_SEED: '1',
      ...(process.env.E2E_DATABASE_URL ? { DATABASE_URL: process.env.E2E_DATABASE_URL } : {}),
      LOG_LEVEL: 'warn',
      // No poll shedding by event-loop lag: a busy CI machine would turn it on at random (tested on its own).
      SHED_POLL_LAG_MS: '0',
    },
  },
});
