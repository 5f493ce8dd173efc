import { vigilVitestConfig } from '@vigil/testing/vitest';

export default vigilVitestConfig({ test: { globalSetup: ['./test/global-setup.ts'] } });
