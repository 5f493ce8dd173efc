import { Inject, Injectable } from '@nestjs/common';
import { QueueName, removeTotalNamedGauges } from '@vigil/contracts';
import { alertingStats, type AlertingStats, type Db } from '@vigil/db';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Queues } from '../../infra/queues.js';
import { DB, QUEUES } from '../../infra/tokens.js';

const ALERT_STATES = ['pending', 'firing', 'nodata', 'resolved', 'ok'] as const;

const JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized'] as const;

/**
 * Process metrics in Prometheus text format: request latencies, ingested items by outcome,
 * queue depths per state (read from Redis at scrape time, so any API process reports the
 * cluster-wide queues, failed jobs included) and the health of alerting — alert instances by
 * state and stuck or failed notification deliveries (read from Postgres at scrape time).
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
  private ingestBacklog: () => number = () => 0;
  readonly ingestQueued = new Gauge({
    name: 'vigil_ingest_queued_events',
    help: 'Prediction events of this process waiting to be written; at INGEST_MAX_QUEUED_EVENTS ingest answers 503',
    registers: [this.registry],
    collect: () => {
      this.ingestQueued.set(this.ingestBacklog());
    },
  });
  readonly ingested = new Counter({
    name: 'vigil_ingest_items_total',
    help: 'Ingested items by kind (prediction, label) and outcome (accepted, duplicate, rejected)',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });

  /**
   * One read of the alerting counts per scrape, shared by its gauges: the registry starts every
   * collect in registration order, so the first gauge reads afresh and the others reuse it.
   */
  private stats: Promise<AlertingStats> | null = null;
  private alerting(fresh: boolean): Promise<AlertingStats> {
    if (fresh || !this.stats) this.stats = alertingStats(this.db.pool);
    return this.stats;
  }

  constructor(
    @Inject(QUEUES) queues: Queues,
    @Inject(DB) private readonly db: Db,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'vigil_api_' });
    removeTotalNamedGauges(this.registry, 'vigil_api_');
    const alerting = (fresh = false) => this.alerting(fresh);
    new Gauge({
      name: 'vigil_alerts',
      help: 'Alert instances by state, all workspaces',
      labelNames: ['state'] as const,
      registers: [this.registry],
      async collect() {
        const s = await alerting(true);
        for (const state of ALERT_STATES) this.set({ state }, s.alertsByState[state] ?? 0);
      },
    });
    const fromStats = (name: string, help: string, pick: (s: AlertingStats) => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        async collect() {
          this.set(pick(await alerting()));
        },
      });
    fromStats('vigil_notification_deliveries_pending', 'Notification deliveries waiting to be sent or retried', (s) => s.pendingDeliveries);
    fromStats(
      'vigil_notification_oldest_pending_seconds',
      'Age of the oldest pending notification delivery (0 when none); grows while deliveries are stuck',
      (s) => s.oldestPendingDeliverySeconds,
    );
    fromStats('vigil_notification_deliveries_failed_24h', 'Notification deliveries of the last 24 h that failed after every retry', (s) => s.failedDeliveries24h);
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

  /** Reports the ingest writer's backlog as `vigil_ingest_queued_events`. */
  watchIngestBacklog(read: () => number): void {
    this.ingestBacklog = read;
  }

  countIngest(kind: 'prediction' | 'label', result: { accepted: number; duplicates: number; rejected: unknown[] }): void {
    this.ingested.inc({ kind, outcome: 'accepted' }, result.accepted);
    this.ingested.inc({ kind, outcome: 'duplicate' }, result.duplicates);
    this.ingested.inc({ kind, outcome: 'rejected' }, result.rejected.length);
  }
}
