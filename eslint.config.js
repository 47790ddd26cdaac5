// @ts-check
import js from '@eslint/js';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

/**
 * Workflow code is replayed: it must be deterministic and do no I/O. These imports would
 * break that (Node built-ins, database, HTTP, clients, loggers); workflows reach the outside
 * world only through activities. Domain modules are pure as well and share the rule.
 */
const forbiddenInWorkflows = {
  paths: [
    ...builtinModules.filter((m) => !m.startsWith('_')),
    'mongoose', 'mongodb', 'express', 'pino', 'nodemailer', 'jose', 'undici', 'axios', 'node-fetch',
    '@temporalio/client', '@temporalio/worker', '@temporalio/activity', '@temporalio/testing',
  ].map((name) => ({ name, message: 'Workflows and domain rules are deterministic: do I/O in an activity.' })),
  patterns: [
    { group: ['node:*'], message: 'No Node built-ins in workflows or domain rules.' },
    {
      group: ['**/activities', '**/activities/*', '**/api/*', '**/runtime/*', '**/services/*'],
      allowTypeImports: true,
      message: 'Workflows may import only the types of activities, never their code.',
    },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/', '.runtime/', 'data/', 'dist/', 'coverage/', 'bench/results/', 'web/node_modules/', 'web/dist/', 'web/src/api/schema.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': ['error', forbiddenInWorkflows],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' },
        { name: 'setInterval', message: 'Use sleep() in a loop.' },
        { name: 'fetch', message: 'HTTP belongs in an activity.' },
        { name: 'process', message: 'Workflows see no environment.' },
      ],
    },
  },

  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', exports: 'writable', module: 'writable' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tests read JSON answers of any shape.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
