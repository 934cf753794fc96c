// Type-aware linting everywhere, and the architecture's boundaries as import rules:
// server/sim is pure and imports nothing outside itself; app/ reaches the server only through
// server/protocol/wire (never the zod schemas); persistence knows no sockets.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const outside = (group, message) => ['error', { patterns: [{ group, message }] }];

export default tseslint.config(
  {
    ignores: ['node_modules/', '.next/', 'server/persistence/generated/', 'next-env.d.ts', 'test-results/', 'playwright-report/', 'tests/.tmp/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js'] }, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['app/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': outside(
        ['**/server/sim/**', '**/server/realtime/**', '**/server/persistence/**', 'socket.io', 'better-sqlite3', '@prisma/*'],
        'app/ reaches the server only through server/protocol/wire.',
      ),
      // The browser gets types and vocabulary, not the server's schemas: zod would be a third of a phone's JS.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^zod$|(^|/)server/protocol(/(?!wire(\\.ts)?$).*)?$',
              message: 'Pages import server/protocol/wire: the rest of server/protocol (its barrel, the zod schemas) is server only.',
            },
          ],
        },
      ],
    },
  },
  ...[
    // A file directly in server/sim may not climb out; one in a sub-folder (raft/) may climb to server/sim only.
    { files: ['server/sim/*.ts'], escape: '../*' },
    { files: ['server/sim/*/**/*.ts'], escape: '../../*' },
  ].map(({ files, escape }) => ({
    files,
    rules: {
      'no-restricted-imports': outside(
        [escape, 'node:*', 'fs', 'path', 'socket.io', 'socket.io-client', 'zod', '@prisma/*', 'better-sqlite3'],
        'server/sim is the pure core: it imports nothing outside itself.',
      ),
      'no-restricted-globals': ['error', { name: 'Date', message: 'Time comes in through ctx.' }],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'Randomness comes from the seeded PRNG in the state.' }],
    },
  })),
  {
    files: ['server/persistence/**/*.ts'],
    rules: {
      'no-restricted-imports': outside(['socket.io', 'socket.io-client', '**/realtime/**', 'next', 'next/*'], 'Persistence knows no sockets.'),
    },
  },
  {
    files: ['server/protocol/**/*.ts'],
    rules: {
      // VOC1: the one vocabulary lives in the core; the protocol may re-export exactly that module.
      'no-restricted-imports': outside(
        ['../*', '!../sim', '../sim/*', '!../sim/vocab.ts', 'node:*', 'socket.io', '@prisma/*'],
        'The protocol is shared with the browser: zod, types and the core vocabulary (server/sim/vocab.ts) only.',
      ),
    },
  },
  {
    // What the pages import pulls no zod at run time: the payload types are read off the schemas as types only.
    files: ['server/protocol/wire.ts', 'server/protocol/views.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['zod', './schemas*', './index*'], allowTypeImports: true, message: 'wire.ts and views.ts ship to the browser: zod and the schemas as types only.' }] },
      ],
    },
  },
);
