/**
 * Lint: typescript-eslint with type-aware rules; formatting is Prettier's alone
 * (eslint-config-prettier turns off every rule it owns). docs/architecture.md ("Gates")
 * says why this toolchain.
 */
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/** Node's globals for the few plain `.mjs` files (TypeScript files get them from @types/node). */
const nodeGlobals = Object.fromEntries(
  ['process', 'console', 'Buffer', 'URL', 'setTimeout', 'clearTimeout', 'globalThis', 'performance'].map((name) => [
    name,
    'readonly',
  ]),
);

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'cdk.out/',
      'coverage/',
      'functions/generated/',
      '.flowplane/',
      '.tmp-*/',
      '.cache/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'test/support/*.mjs', 'scripts/*.mjs', 'scripts/bench/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { '@stylistic': stylistic },
    rules: {
      // Prettier wraps code at 120 but leaves comments alone; text in strings and tables may run on.
      '@stylistic/max-len': [
        'error',
        {
          code: 120,
          ignoreStrings: true,
          ignoreTemplateLiterals: true,
          ignoreRegExpLiterals: true,
          ignoreUrls: true,
          ignorePattern: '^\\s*\\* \\|',
        },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // Stand-ins and interface implementations are async to match the contract they fill;
      // the rules that catch real promise bugs (no-floating-promises, no-misused-promises,
      // await-thenable) stay on.
      '@typescript-eslint/require-await': 'off',
    },
  },
  // TypeScript checks names itself; `no-undef` only misreads type-only globals.
  { files: ['**/*.ts'], rules: { 'no-undef': 'off' } },
  { files: ['**/*.mjs', '**/*.js'], languageOptions: { globals: nodeGlobals } },
  // Tests, the tour and the benchmarks read HTTP answers as untyped JSON on purpose: the
  // schemas in test/support check their shape. The promise rules stay on everywhere.
  {
    files: ['test/**', 'scripts/tour.ts', 'scripts/bench-*.ts', 'scripts/bench/**', 'scripts/draw-dashboard.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },
  prettier,
);
