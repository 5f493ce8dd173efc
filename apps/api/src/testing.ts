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

export interface TestApiOptions {
  /**
   * The loopback port to listen on; 0 (the default) takes any free one. A test whose clients
   * point at the API before it runs, or that restarts it under them, passes their port.
   */
  port?: number;
}

/**
 * The real API on a loopback port against the test database and Redis, for the integration
 * and browser tests of every package.
 */
export async function startTestApi(overrides: Record<string, string> = {}, { port = 0 }: TestApiOptions = {}): Promise<RunningApi> {
  const env = loadApiEnv({
    NODE_ENV: 'test',
    DATABASE_URL: TEST_DATABASE_URL,
    REDIS_URL: TEST_REDIS_URL,
    LOG_LEVEL: 'silent',
    PORT: String(port),
    HOST: '127.0.0.1',
    ...overrides,
  });
  const { app } = await createApp(env);
  await app.listen({ port, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const listening = typeof address === 'object' && address ? address.port : port;
  return { app, env, url: `http://127.0.0.1:${listening}`, close: () => app.close() };
}
