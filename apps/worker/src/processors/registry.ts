import { QueueName, QueuePayloadSchemas, type QueuePayload } from '@vigil/contracts';
import type { Db } from '@vigil/db';
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import type { WorkerEnv } from '../env.js';
import { createPartitions } from '../jobs/maintenance/partitions.js';
import { applyRetention, compactProfiles } from '../jobs/maintenance/retention.js';
import { loadModelContext } from '../jobs/model-context.js';
import { buildReferenceProfile } from '../jobs/reference/build-reference.js';
import { refreshWindowMetrics, streamModelVersion } from '../jobs/streaming/stream-events.js';
import { findPendingVersions } from '../jobs/streaming/sweep.js';
import { findWindowsToClose } from '../jobs/windows/close-windows.js';
import { recomputeWindow } from '../jobs/windows/recompute-window.js';
import { JobId } from '@vigil/contracts';

export interface ProcessorContext {
  db: Db;
  env: WorkerEnv;
  logger: Logger;
  /** Enqueues follow-up jobs (same connection and prefix as the worker). */
  enqueue: <Q extends QueueName>(queue: Q, payload: QueuePayload<Q>, jobId: string) => Promise<void>;
}

export type Processor<Q extends QueueName> = (payload: QueuePayload<Q>, job: Job, ctx: ProcessorContext) => Promise<unknown>;

export type ProcessorRegistry = { [Q in QueueName]?: Processor<Q> };

/**
 * Thin processors: re-validate the payload (never trust what is in Redis), then call feature
 * code in src/jobs. Queues without a processor here are not consumed by this process.
 */
export const processors: ProcessorRegistry = {
  [QueueName.ingestWindow]: (payload, _job, ctx) => streamModelVersion(ctx.db, payload),
  [QueueName.windowRecompute]: (payload, _job, ctx) => recomputeWindow(ctx.db, payload),
  [QueueName.referenceProfile]: async (payload, _job, ctx) => {
    const result = await buildReferenceProfile(ctx.db, payload);
    // Windows already profiled are re-scored against the new reference.
    const model = await loadModelContext(ctx.db, payload.organizationId, payload.modelId);
    const now = Date.now();
    const versions = await ctx.db.forTenant(payload.organizationId).modelVersion.findMany({ where: { modelId: payload.modelId } });
    for (const v of versions) {
      const minutes = await ctx.db.pool.query<{ segment: string; window_start: Date }>(
        `SELECT DISTINCT segment, window_start FROM column_profile WHERE model_version_id = $1 AND granularity = 'minute' AND window_start >= $2`,
        [v.id, new Date(now - 2 * 86_400_000)],
      );
      const touched = new Map<string, Set<number>>();
      for (const r of minutes.rows) touched.set(r.segment, (touched.get(r.segment) ?? new Set()).add(r.window_start.getTime()));
      await refreshWindowMetrics(ctx.db, model, v.id, touched, now);
    }
    return result;
  },
  [QueueName.maintenance]: async (payload, _job, ctx) => {
    switch (payload.task) {
      case 'create-partitions':
        return { created: await createPartitions(ctx.db, Date.now(), ctx.env.PARTITIONS_AHEAD_DAYS) };
      case 'drop-expired-partitions':
        return applyRetention(ctx.db, Date.now());
      case 'compact-profiles':
        return { deleted: await compactProfiles(ctx.db, Date.now()) };
      case 'close-windows': {
        const due = await findWindowsToClose(ctx.db, ctx.env.WINDOW_GRACE_MS);
        for (const { version, ...w } of due) {
          // The profile version in the id: a window re-opened by late data is enqueued again.
          await ctx.enqueue(QueueName.windowRecompute, w, `${JobId.windowRecompute(w)}_${version}`);
        }
        return { due: due.length };
      }
      case 'stream-sweep': {
        const pending = await findPendingVersions(ctx.db);
        const minute = new Date(Date.now() - (Date.now() % 60_000)).toISOString();
        for (const p of pending) {
          const job = { ...p, minute };
          await ctx.enqueue(QueueName.ingestWindow, job, `${JobId.ingestWindow(job)}_sweep`);
        }
        return { pending: pending.length };
      }
      default:
        // Tasks of later pipeline stages are registered by their features; an unknown task is a
        // poison job, so fail it instead of retrying forever.
        throw new Error(`maintenance task ${payload.task} is not handled by this worker`);
    }
  },
};

export function parsePayload<Q extends QueueName>(queue: Q, data: unknown): QueuePayload<Q> {
  return QueuePayloadSchemas[queue].parse(data) as QueuePayload<Q>;
}
