import { vigilVitestConfig } from '@vigil/testing/vitest';

export default vigilVitestConfig({
  test: {
    globalSetup: ['./test/global-setup.ts'],
    // One file at a time: the freshness test measures seconds and must not share the cores.
    fileParallelism: false,
  },
});
