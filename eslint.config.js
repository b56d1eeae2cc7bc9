import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = builtinModules.flatMap((name) => [name, `${name}/*`, `node:${name}`]);

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'release/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Typed linting: each .ts file is read with the tsconfig that covers it (renderer/ has its
    // own). The plain .js files (build scripts, tools, bin) stay untyped.
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A promise nobody awaits loses its rejection: await it, report it, or say why not (void).
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
  {
    // The renderer runs in a sandboxed page or a guest's browser: no Node, no main process code.
    files: ['renderer/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, 'electron', 'ws', 'libsql'].map((name) => ({
            name,
            message:
              'The renderer must not import Node or Electron modules; go through the bridge.',
          })),
          patterns: [
            {
              group: [
                '**/main/**',
                '../main',
                '../../main',
                '**/bench/**',
                '**/tools/**',
                '**/test/**',
              ],
              message: 'The renderer imports only protocol/ (and its own files).',
            },
            { group: ['node:*'], message: 'The renderer must not import Node modules.' },
          ],
        },
      ],
    },
  },
  {
    // Protocol code is shared by Node, Electron and the browser: it stays pure.
    files: ['protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, 'electron', 'ws', 'libsql', 'lit'].map((name) => ({
            name,
            message: 'protocol/ is pure TypeScript shared by every runtime.',
          })),
          patterns: [
            {
              group: ['**/main/**', '**/renderer/**'],
              message: 'protocol/ imports nothing from main/ or renderer/.',
            },
            { group: ['node:*'], message: 'protocol/ must not import Node modules.' },
          ],
        },
      ],
    },
  },
  {
    // The renderer's build config runs in Node at build time; it never ships to the page.
    files: ['renderer/vite.config.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // Only the thin Electron shell (main/app/shell) may import electron; everything else is plain Node.
    files: ['**/*.ts'],
    ignores: ['main/app/shell/**', 'main/host/**', 'renderer/**', 'protocol/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'Only the thin shell files in main/app/shell import electron.',
            },
          ],
        },
      ],
    },
  },
  {
    // The host is the room server: the app and the CLI use it, never the other way round.
    files: ['main/host/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The host runs headless: no electron.' }],
          patterns: [
            {
              group: ['**/app/**', '**/cli/**', '**/renderer/**'],
              message: 'main/host imports neither main/app nor main/cli.',
            },
          ],
        },
      ],
    },
  },
  {
    // The wire contract depends on nothing of the client.
    files: ['protocol/wire/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, 'electron', 'ws', 'libsql', 'lit'].map((name) => ({
            name,
            message: 'protocol/ is pure TypeScript shared by every runtime.',
          })),
          patterns: [
            {
              group: ['**/client/**', '**/bridge', '**/main/**', '**/renderer/**'],
              message:
                'protocol/wire is the contract: it imports nothing from the client or the bridge.',
            },
            { group: ['node:*'], message: 'protocol/ must not import Node modules.' },
          ],
        },
      ],
    },
  },
  prettier,
);
