import { createTestDb, TEST_REDIS_URL, type Db } from '@vigil/db/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { startTestApi, type RunningApi, type TestApiOptions } from '../../src/testing.js';

export { startTestApi, type RunningApi, type TestApiOptions };

export interface TestApi {
  /**
   * The API of the enclosing file or describe block. It runs from its beforeAll to its afterAll,
   * so its fields can be read in tests and later hooks, but not while the file is collected.
   */
  readonly api: RunningApi;
  /** A handle on the test database, opened on first use. */
  readonly db: Db;
  /** A connection to the test Redis, opened on first use; it can back a BullMQ queue. */
  readonly redis: Redis;
}

/**
 * Starts the API (with `overrides` on top of the test environment) before the tests of the
 * file or describe block it is called in, and stops it after them, with the db handle and
 * Redis connection if they were used. Call it before the block's own beforeAll hooks, which
 * then see the running API.
 */
export function useTestApi(overrides: Record<string, string> = {}, options: TestApiOptions = {}): TestApi {
  let running: RunningApi | undefined;
  let db: Db | undefined;
  let redis: Redis | undefined;
  const started = (): RunningApi => {
    if (!running) throw new Error('the test API runs from beforeAll to afterAll: read it in tests or hooks');
    return running;
  };
  // Handed out before the API starts, so files can destructure it once at the top.
  const api: RunningApi = {
    get app() {
      return started().app;
    },
    get url() {
      return started().url;
    },
    get env() {
      return started().env;
    },
    async close() {
      const stopping = running;
      running = undefined;
      await stopping?.close();
    },
  };
  beforeAll(async () => {
    running = await startTestApi(overrides, options);
  });
  afterAll(async () => {
    await api.close();
    await db?.close();
    redis?.disconnect();
  });
  return {
    api,
    get db() {
      return (db ??= createTestDb());
    },
    get redis() {
      return (redis ??= new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null }));
    },
  };
}

/** A db handle for a file's tests, closed after them: for files whose describe blocks each run their own API. */
export function useTestDb(): Db {
  const db = createTestDb();
  afterAll(() => db.close());
  return db;
}
