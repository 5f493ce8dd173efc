import { resolve } from 'node:path';
import { vigilVitestConfig } from '@vigil/testing/vitest';

const TEST_DATABASE_URL = process.env.VIGIL_TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/vigil_test';

export default vigilVitestConfig({
  resolve: { alias: { '~': resolve(import.meta.dirname, 'src') } },
  test: {
    globalSetup: ['./test/global-setup.ts'],
    include: ['src/**/*.test.ts', 'e2e/**/*.spec.ts'],
    // In-process router tests run against the test database with the development secret.
    env: { NODE_ENV: 'test', DATABASE_URL: TEST_DATABASE_URL, WEB_URL: 'http://localhost:3000' },
    hookTimeout: 120_000,
    // Browser journeys share one built app; run files one after another.
    fileParallelism: false,
  },
});
