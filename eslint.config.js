// @ts-check
import js from '@eslint/js'
import prettier from 'eslint-config-prettier/flat'
import { defineConfig, globalIgnores } from 'eslint/config'
import tseslint from 'typescript-eslint'

const noBarrels = {
  group: ['**/index.ts', '**/index'],
  message: 'Import the module itself; no barrel files.',
}

export default defineConfig(
  globalIgnores([
    'src/generated/**',
    'coverage/**',
    'reports/**',
    'data/**',
    'dist/**',
    'packages/*/dist/**',
    'node_modules/**',
  ]),
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ['*.js', 'src/bin.js', 'conformance/bin.js', 'scripts/bundle.js'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      curly: ['error', 'all'],
      '@typescript-eslint/consistent-type-definitions': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports' }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      'no-restricted-imports': ['error', { patterns: [noBarrels] }],
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Only src/config.ts reads the environment.',
        },
      ],
    },
  },
  {
    // Entry points and tests (which pass the environment on to child processes) may read it.
    files: [
      'src/config.ts',
      'conformance/cli.ts',
      'scripts/**/*.ts',
      'bench/**/*.ts',
      '**/*.test.ts',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['src/resources/*/routes.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'better-sqlite3', message: 'Routes talk to their store, never to SQLite.' },
          ],
          patterns: [noBarrels],
        },
      ],
    },
  },
  {
    files: ['conformance/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noBarrels,
            {
              regex: '^(\\.\\./)+src/(?!generated/)',
              message:
                'The conformance suite is black-box: only src/generated types may be imported.',
            },
          ],
        },
      ],
    },
  },
  prettier
)
