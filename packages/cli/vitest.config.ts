import { TEST_FILES, vigilVitestConfig } from '@vigil/testing/vitest';

export default vigilVitestConfig({
  test: {
    include: [...TEST_FILES, 'e2e/**/*.spec.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
