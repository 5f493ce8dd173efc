import { configDefaults } from 'vitest/config';
import { vigilVitestConfig } from '@vigil/testing/vitest';

export default vigilVitestConfig({
  test: {
    globalSetup: ['./test/global-setup.ts'],
    include: [...configDefaults.include],
    testTimeout: 30_000,
  },
});
