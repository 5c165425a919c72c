import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      '@': root,
      // Modules that touch the database import 'server-only'; outside Next that marker must resolve to nothing.
      'server-only': resolve(root, 'node_modules/server-only/empty.js'),
    },
  },
  test: {
    include: [
      'lib/**/*.test.ts',
      'components/**/*.test.{ts,tsx}',
      'eslint-rules/**/*.test.ts',
      'scripts/**/*.test.ts',
      'tests/integration/**/*.test.ts',
    ],
    globalSetup: ['tests/support/global-setup.ts'],
    setupFiles: ['tests/support/setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
      AUTH_SECRET: 'test-auth-secret-that-is-long-enough-0123456789',
      QUEUE_TOKEN_SECRET: 'test-queue-secret-that-is-long-enough-0123456789',
      TICKET_KEY_SECRET: 'test-ticket-secret-that-is-long-enough-0123456789',
      CRON_SECRET: 'test-cron-secret-that-is-long-enough-0123456789',
    },
  },
});
