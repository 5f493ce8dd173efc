import { createServer } from 'node:net';
import { createApp, loadApiEnv } from '@vigil/api';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '@vigil/db/testing';

export interface LocalApi {
  url: string;
  close(): Promise<void>;
}

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Runs the real Vigil API (built package) on `port` against the test database and Redis. */
export async function startApi(port: number, overrides: Record<string, string> = {}): Promise<LocalApi> {
  const env = loadApiEnv({
    NODE_ENV: 'test',
    DATABASE_URL: TEST_DATABASE_URL,
    REDIS_URL: TEST_REDIS_URL,
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    PORT: String(port),
    ...overrides,
  });
  const { app } = await createApp(env);
  await app.listen({ port, host: '127.0.0.1' });
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
}
