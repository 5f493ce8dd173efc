import { createServer, type Server } from 'node:http';
import { pingDatabase, type Db } from '@vigil/db';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * The worker's probes for an orchestrator, on HEALTH_PORT: `/healthz` (the process serves) and
 * `/readyz` (Postgres and Redis answer within 2 s). Like the API's, they answer only `ok` or
 * `failed` per dependency; the reason goes to the log.
 */
export async function startHealthServer(opts: { port: number; host: string; db: Db; redis: Redis; logger: Logger; stopping: () => boolean }): Promise<Server> {
  const server = createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      res.end(JSON.stringify(body));
    };
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, { error: 'method not allowed' });
    if (path === '/healthz') return send(200, { status: 'ok' });
    if (path !== '/readyz') return send(404, { error: 'not found' });
    void (async () => {
      const [postgres, redis] = await Promise.allSettled([pingDatabase(opts.db.pool, 2_000), withTimeout(opts.redis.ping(), 2_000)]);
      const verdict = (name: string, r: PromiseSettledResult<unknown>): 'ok' | 'failed' => {
        if (r.status === 'fulfilled') return 'ok';
        opts.logger.warn({ dependency: name, err: (r.reason as Error).message }, 'readiness check failed');
        return 'failed';
      };
      const checks = { postgres: verdict('postgres', postgres), redis: verdict('redis', redis) };
      // A worker that is shutting down takes no more work: not ready.
      const ready = checks.postgres === 'ok' && checks.redis === 'ok' && !opts.stopping();
      send(ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks });
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  return server;
}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
