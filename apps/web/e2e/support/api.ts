import { createApp, loadApiEnv } from '@vigil/api';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '@vigil/db/testing';

export interface RunningApi {
  url: string;
  close(): Promise<void>;
}

/** The real ingestion API on a free port, against the test database and Redis. */
export async function startApi(): Promise<RunningApi> {
  const env = loadApiEnv({
    NODE_ENV: 'test',
    DATABASE_URL: TEST_DATABASE_URL,
    REDIS_URL: TEST_REDIS_URL,
    LOG_LEVEL: 'silent',
    PORT: '0',
    HOST: '127.0.0.1',
  });
  const { app } = await createApp(env);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
}
