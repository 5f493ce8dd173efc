import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export type JobOutcome = 'completed' | 'failed';

export interface WorkerMetrics {
  url: string;
  registry: Registry;
  /** Records one finished job attempt of `queue`, `seconds` long. */
  observeJob(queue: string, outcome: JobOutcome, seconds: number): void;
  close(): Promise<void>;
}

/**
 * The worker's own Prometheus metrics on WORKER_METRICS_PORT (opt-in): job durations per queue
 * and outcome, and the process's. Queue depths and delivery backlog are on the api's /metrics.
 */
export async function startWorkerMetrics(opts: { port: number; host: string }): Promise<WorkerMetrics> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'vigil_worker_' });
  // prom-client names these gauges *_total, which Prometheus reserves for counters (promtool refuses them).
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
    registry.removeSingleMetric(`vigil_worker_${name}`);
  }
  const durations = new Histogram({
    name: 'vigil_job_duration_seconds',
    help: 'Time a job attempt took from start to end, by queue and outcome',
    labelNames: ['queue', 'outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body),
      () => res.writeHead(503).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  server.unref();
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`,
    registry,
    observeJob: (queue, outcome, seconds) => durations.observe({ queue, outcome }, Math.max(0, seconds)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
