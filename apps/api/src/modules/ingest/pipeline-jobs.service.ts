import { Inject, Injectable } from '@nestjs/common';
import { JobId, QueueName, type QueuePayload } from '@vigil/contracts';
import type { InsertedWindow, LabelledWindow, TenantRef } from '@vigil/db';
import type { Logger } from 'pino';
import type { ApiEnv } from '../../env.js';
import type { Queues } from '../../infra/queues.js';
import { ENV, LOGGER, QUEUES } from '../../infra/tokens.js';

/** A job id enqueued this recently is not sent to Redis again: BullMQ would ignore it anyway. */
const RECENT_MS = 1_000;

/**
 * Tells the worker pipeline about committed events: one deduplicated `ingest-window` job per
 * (model version, minute), and `window-recompute` jobs for the hour and day windows of
 * predictions that just received labels. Runs after the commit and never fails a request: a
 * job that cannot be enqueued is logged, and the scheduled close of each window recomputes it
 * from the stored events.
 */
@Injectable()
export class PipelineJobs {
  private readonly recent = new Map<string, number>();

  constructor(
    @Inject(QUEUES) private readonly queues: Queues,
    @Inject(ENV) private readonly env: ApiEnv,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async predictionsStored(tenant: TenantRef, windows: InsertedWindow[]): Promise<void> {
    await this.enqueueAll(
      windows.map((w) => {
        const payload: QueuePayload<typeof QueueName.ingestWindow> = {
          organizationId: tenant.organizationId,
          projectId: tenant.projectId,
          modelId: w.modelId,
          modelVersionId: w.modelVersionId,
          minute: w.minute.toISOString(),
        };
        return () => this.enqueue(QueueName.ingestWindow, payload, JobId.ingestWindow(payload));
      }),
    );
  }

  async labelsJoined(tenant: TenantRef, windows: LabelledWindow[]): Promise<void> {
    const jobs = new Map<string, () => Promise<void>>();
    for (const w of windows) {
      for (const [granularity, start] of [['hour', w.hour], ['day', w.day]] as const) {
        const payload: QueuePayload<typeof QueueName.windowRecompute> = {
          organizationId: tenant.organizationId,
          projectId: tenant.projectId,
          modelId: w.modelId,
          modelVersionId: w.modelVersionId,
          granularity,
          windowStart: start.toISOString(),
          reason: 'labels',
        };
        const jobId = JobId.windowRecompute(payload);
        jobs.set(jobId, () => this.enqueue(QueueName.windowRecompute, payload, jobId));
      }
    }
    await this.enqueueAll([...jobs.values()]);
  }

  private async enqueueAll(tasks: (() => Promise<void>)[]): Promise<void> {
    if (tasks.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.env.ENQUEUE_TIMEOUT_MS);
    });
    const all = Promise.allSettled(tasks.map((t) => t()));
    const outcome = await Promise.race([all, timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.logger.warn({ jobs: tasks.length }, 'enqueueing pipeline jobs timed out; windows will be recomputed when they close');
      return;
    }
    for (const r of outcome) {
      if (r.status === 'rejected') this.logger.warn({ err: (r.reason as Error).message }, 'could not enqueue a pipeline job');
    }
  }

  private async enqueue<Q extends QueueName>(queue: Q, payload: QueuePayload<Q>, jobId: string): Promise<void> {
    const now = Date.now();
    const last = this.recent.get(jobId);
    if (last !== undefined && now - last < RECENT_MS) return;
    if (this.recent.size > 10_000) {
      for (const [id, at] of this.recent) if (now - at >= RECENT_MS) this.recent.delete(id);
    }
    await this.queues.add(queue, payload, { jobId });
    this.recent.set(jobId, now);
  }
}
