import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { removeTotalNamedGauges } from '@vigil/contracts';
import { checkReadiness, type Db } from '@vigil/db';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export type JobOutcome = 'completed' | 'failed';

export interface WorkerServer {
  url: string;
  registry: Registry;
  /** Records one finished job attempt of `queue`, `seconds` long. */
  observeJob(queue: string, outcome: JobOutcome, seconds: number): void;
  close(): Promise<void>;
}

/**
 * The worker's one HTTP server (HEALTH_PORT): `/healthz` (the process serves), `/readyz`
 * (Postgres and Redis answer within 2 s, and the worker is not shutting down) and `/metrics`
 * (Prometheus: job durations per queue and outcome, and the process's own metrics; queue depths
 * and the delivery backlog are on the api's /metrics). The probes answer only `ok` or `failed`
 * per dependency, like the API's; the reason goes to the log.
 */
export async function startWorkerServer(opts: { port: number; host: string; db: Db; redis: Redis; logger: Logger; stopping: () => boolean }): Promise<WorkerServer> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'vigil_worker_' });
  removeTotalNamedGauges(registry, 'vigil_worker_');
  const durations = new Histogram({
    name: 'vigil_job_duration_seconds',
    help: 'Time a job attempt took from start to end, by queue and outcome',
    labelNames: ['queue', 'outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  const server = createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      res.end(JSON.stringify(body));
    };
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, { error: 'method not allowed' });
    if (path === '/healthz') return send(200, { status: 'ok' });
    if (path === '/metrics') {
      registry.metrics().then(
        (body) => res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' }).end(body),
        () => send(503, { error: 'metrics unavailable' }),
      );
      return;
    }
    if (path !== '/readyz') return send(404, { error: 'not found' });
    void checkReadiness(opts.db.pool, opts.redis, (dependency, err) => opts.logger.warn({ dependency, err: err.message }, 'readiness check failed')).then(({ ready, checks }) => {
      // A worker that is shutting down takes no more work: not ready.
      const serving = ready && !opts.stopping();
      send(serving ? 200 : 503, { status: serving ? 'ready' : 'not ready', checks });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`,
    registry,
    observeJob: (queue, outcome, seconds) => durations.observe({ queue, outcome }, Math.max(0, seconds)),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // a scraper's kept-alive connection must not hold the shutdown
      }),
  };
}
