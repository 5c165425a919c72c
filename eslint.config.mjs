import next from 'eslint-config-next';
import nextTs from 'eslint-config-next/typescript';

const config = [
  { ignores: ['.next/**', 'node_modules/**', '.data/**', '.data-*/**', 'next-env.d.ts', 'test-results/**', 'playwright-report/**'] },
  ...next,
  ...nextTs,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through lib/env.ts.' }],
    },
  },
  {
    files: ['lib/env.ts', 'instrumentation.ts', 'next.config.js', 'scripts/**', 'tests/**', 'bench/**', 'playwright.config.ts', 'vitest.config.mts', 'drizzle.config.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
];

export default config;
