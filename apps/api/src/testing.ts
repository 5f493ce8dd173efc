import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '@vigil/db/testing';
import { createApp } from './app.js';
import { loadApiEnv, type ApiEnv } from './env.js';

export { corrupted, nasty } from './fuzz-inputs.js';

export interface RunningApi {
  app: NestFastifyApplication;
  url: string;
  env: ApiEnv;
  close(): Promise<void>;
}

/**
 * The real API on a free loopback port against the test database and Redis, for the
 * integration and browser tests of every package.
 */
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
