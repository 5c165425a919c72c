import next from 'eslint-config-next';
import nextTs from 'eslint-config-next/typescript';
import drizzle from 'eslint-plugin-drizzle';
import admitone from './eslint-rules/admitone.mjs';

/**
 * The layers (docs/architecture.md, "House rules"): app → components → lib → db. A layer imports only those below it;
 * lib/contracts imports nothing but zod and itself, so forms, handlers and tests share it; tests and benchmarks are
 * never imported by the product.
 */
const upward = (layers) =>
  layers.map((layer) => ({
    group: [`@/${layer}`, `@/${layer}/**`],
    message: `Layers go app → components → lib → db: this layer may not import ${layer}/.`,
  }));
const noTests = { group: ['@/tests/**', '@/bench/**'], message: 'Test and benchmark code stays out of the product.' };
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

const config = [
  {
    ignores: [
      '.next/**',
      'node_modules/**',
      '.data/**',
      '.data-*/**',
      'next-env.d.ts',
      'test-results/**',
      'playwright-report/**',
    ],
  },
  ...next,
  ...nextTs,
  {
    plugins: { drizzle, admitone },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through lib/env.ts.' },
      ],
      // An update or delete without a where clause changes every row: always a bug here.
      'drizzle/enforce-delete-with-where': ['error', { drizzleObjectName: ['db', 'tx'] }],
      'drizzle/enforce-update-with-where': ['error', { drizzleObjectName: ['db', 'tx'] }],
      'admitone/browser-imports': 'error',
    },
  },
  {
    files: ['components/**'],
    rules: restrict(
      ...upward(['app']),
      {
        group: ['@/db/**'],
        allowTypeImports: true,
        message: 'Components get data from lib/ or from props, never from db/.',
      },
      noTests,
    ),
  },
  { files: ['lib/**', 'middleware.ts'], rules: restrict(...upward(['app', 'components']), noTests) },
  { files: ['lib/**'], ignores: ['**/*.test.ts'], rules: { 'admitone/server-only-marker': 'error' } },
  {
    files: ['lib/contracts/**'],
    rules: restrict(
      {
        group: ['@/*', '!@/lib', '@/lib/*', '!@/lib/contracts'],
        allowTypeImports: true,
        message:
          'Contracts import only zod and other contracts (types aside): the browser, forms and tests share them.',
      },
      { group: ['node:*', 'server-only'], message: 'Contracts run in the browser too.' },
    ),
  },
  {
    files: ['db/**'],
    ignores: ['db/seed/**', 'db/migrate.ts'],
    rules: restrict(
      ...upward(['app', 'components']),
      {
        group: ['@/lib/*', '!@/lib/env', '!@/lib/startup-errors', '!@/lib/process-singletons', '!@/lib/contracts'],
        message:
          'db/ is the bottom layer: it reads configuration (lib/env), the process singletons register and contracts, nothing else of lib/.',
      },
      noTests,
    ),
  },
  { files: ['**/*.test.ts', '**/*.test.tsx'], rules: { 'no-restricted-imports': 'off' } },
  {
    files: [
      '**/*.test.ts',
      '**/*.test.tsx',
      'lib/env.ts',
      'instrumentation.ts',
      'next.config.js',
      'scripts/**',
      'tests/**',
      'bench/**',
      'playwright.config.ts',
      'vitest.config.mts',
      'drizzle.config.ts',
      'eslint-rules/**',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
];

export default config;
