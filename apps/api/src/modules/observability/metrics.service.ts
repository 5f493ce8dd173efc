import { Inject, Injectable } from '@nestjs/common';
import { QueueName } from '@vigil/contracts';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Queues } from '../../infra/queues.js';
import { QUEUES } from '../../infra/tokens.js';

const JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized'] as const;

/**
 * Process metrics in Prometheus text format: request latencies, ingested items by outcome and
 * queue depths per state (read from Redis at scrape time, so any API process reports the
 * cluster-wide queues, failed jobs included).
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly requestDuration = new Histogram({
    name: 'vigil_http_request_duration_seconds',
    help: 'HTTP request latency by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly ingested = new Counter({
    name: 'vigil_ingest_items_total',
    help: 'Ingested items by kind (prediction, label) and outcome (accepted, duplicate, rejected)',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });

  constructor(@Inject(QUEUES) queues: Queues) {
    collectDefaultMetrics({ register: this.registry, prefix: 'vigil_api_' });
    new Gauge({
      name: 'vigil_queue_jobs',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        await Promise.all(
          Object.values(QueueName).map(async (name) => {
            const counts = await queues.get(name).getJobCounts(...JOB_STATES);
            for (const state of JOB_STATES) this.set({ queue: name, state }, counts[state] ?? 0);
          }),
        );
      },
    });
  }

  countIngest(kind: 'prediction' | 'label', result: { accepted: number; duplicates: number; rejected: unknown[] }): void {
    this.ingested.inc({ kind, outcome: 'accepted' }, result.accepted);
    this.ingested.inc({ kind, outcome: 'duplicate' }, result.duplicates);
    this.ingested.inc({ kind, outcome: 'rejected' }, result.rejected.length);
  }
}
