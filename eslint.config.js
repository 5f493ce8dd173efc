import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** SQL statements as they are written in this code base (upper-case keywords). */
const SQL_TEXT = String.raw`/\b(SELECT\s[\s\S]*\bFROM|INSERT\s+INTO|DELETE\s+FROM|UPDATE\s+\S+\s+SET|WITH\s+\w+\s+AS\s*\()\b/`;
/** Prisma query methods (no other API in the code base has these names). */
const PRISMA_QUERIES = String.raw`/^(findUnique|findUniqueOrThrow|findFirst|findFirstOrThrow|findMany|createMany|createManyAndReturn|updateMany|updateManyAndReturn|deleteMany|upsert|aggregate|groupBy|\$queryRaw|\$queryRawUnsafe|\$executeRaw|\$executeRawUnsafe|\$transaction)$/`;

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/.next/**',
      '**/generated/**',
      '**/next-env.d.ts',
      'test-artifacts/**',
      'bench/out/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        performance: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        structuredClone: 'readonly',
        queueMicrotask: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'off',
    },
  },
  {
    // Configuration is read from the environment in exactly one file per app (env.ts).
    files: ['apps/**/src/**/*.ts', 'apps/**/src/**/*.tsx', 'packages/**/src/**/*.ts'],
    ignores: ['**/env.ts', '**/*.test.ts', '**/test/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration in env.ts only.' },
      ],
    },
  },
  {
    // packages/db is the only place that speaks SQL (docs/architecture.md): apps orchestrate,
    // calling its named functions. No SQL text, no raw pg client, no Prisma queries in app code.
    files: ['apps/*/src/**/*.ts', 'apps/*/src/**/*.tsx'],
    ignores: ['**/*.test.ts', '**/*.spec.ts', '**/test/**', '**/e2e/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...[SQL_TEXT].flatMap((pattern) => [
          { selector: `Literal[value=${pattern}]`, message: 'SQL belongs in packages/db: call (or add) a function there.' },
          { selector: `TemplateElement[value.raw=${pattern}]`, message: 'SQL belongs in packages/db: call (or add) a function there.' },
        ]),
        {
          selector: `CallExpression[callee.property.name=${PRISMA_QUERIES}]`,
          message: 'Queries belong in packages/db: call (or add) a function there that takes the tenant-scoped client.',
        },
      ],
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [{ name: 'pg', message: 'Raw SQL belongs in packages/db.', allowTypeImports: true }] },
      ],
    },
  },
);
