import { vigilVitestConfig } from '@vigil/testing/vitest';

export default vigilVitestConfig();
