import { defineConfig, mergeConfig, type ViteUserConfig } from 'vitest/config';

/** Where a package's tests live unless its config lists its own files. */
export const TEST_FILES: readonly string[] = ['src/**/*.test.ts', 'test/**/*.test.ts'];

/**
 * The vitest config every Vigil package starts from: its tests in `src/` and `test/`, and 60 s
 * for a test or hook, since integration tests run against real Postgres and Redis on a
 * two-core machine. `overrides` adds to it (vitest's `mergeConfig`), except `test.include`,
 * which replaces the default list: merged, the lists would be concatenated, and a package
 * naming its test files means exactly those. A package with a `globalSetup` passes it here.
 */
export function vigilVitestConfig(overrides: ViteUserConfig = {}): ViteUserConfig {
  const { include = [...TEST_FILES], ...test } = overrides.test ?? {};
  const base = defineConfig({ test: { include, testTimeout: 60_000, hookTimeout: 60_000 } });
  return mergeConfig(base, { ...overrides, test }) as ViteUserConfig;
}
