import { createTestDb } from '@vigil/db/testing';
import { afterAll, beforeAll } from 'vitest';
import { startTestApi, type RunningApi } from '../../src/testing.js';

export { startTestApi, type RunningApi };

/**
 * Starts the API before a file's tests and stops it (and the db handle) after them; read
 * `ctx.api` inside tests.
 */
export function useTestApi(overrides: Record<string, string> = {}) {
  const ctx = { db: createTestDb(), api: undefined as unknown as RunningApi };
  beforeAll(async () => {
    ctx.api = await startTestApi(overrides);
  });
  afterAll(async () => {
    await ctx.api?.close();
    await ctx.db.close();
  });
  return ctx;
}
