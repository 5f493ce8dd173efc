import { createTestDb, TEST_DATABASE_URL, TEST_REDIS_URL } from '@vigil/db/testing';
import { afterAll, beforeAll } from 'vitest';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp, loadApiEnv, type ApiEnv } from '../../src/app.js';

export interface RunningApi {
  app: NestFastifyApplication;
  url: string;
  env: ApiEnv;
  close(): Promise<void>;
}

/** Starts the real API on a free port against the test database and Redis. */
export async function startTestApi(overrides: Record<string, string> = {}): Promise<RunningApi> {
  const env = loadApiEnv({
    NODE_ENV: 'test',
    DATABASE_URL: TEST_DATABASE_URL,
    REDIS_URL: TEST_REDIS_URL,
    LOG_LEVEL: 'silent',
    PORT: '0',
    HOST: '127.0.0.1',
    ...overrides,
  });
  const { app } = await createApp(env);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { app, env, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

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
