import { QueueName, QueuePayloadSchemas, type QueuePayload } from '@vigil/contracts';
import { SecretBox, type Db } from '@vigil/db';
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import { secretKeyOf, type WorkerEnv } from '../env.js';
import type { EnqueueOptions } from '../worker-host.js';
import { deliver, type DeliverySettings } from '../jobs/alerts/deliver.js';
import { evaluateAlerts } from '../jobs/alerts/evaluate-alerts.js';
import { pendingDeliveries, workspacesWithRules } from '../jobs/alerts/sweep.js';
import { createPartitions } from '../jobs/maintenance/partitions.js';
import { applyRetention, compactProfiles } from '../jobs/maintenance/retention.js';
import { loadModelContext } from '../jobs/model-context.js';
import { buildReferenceProfile } from '../jobs/reference/build-reference.js';
import { refreshWindowMetrics, streamModelVersion } from '../jobs/streaming/stream-events.js';
import { findPendingVersions } from '../jobs/streaming/sweep.js';
import { findWindowsToClose } from '../jobs/windows/close-windows.js';
import { pendingReferences } from '../jobs/reference/sweep.js';
import { recomputeWindow } from '../jobs/windows/recompute-window.js';
import { JobId } from '@vigil/contracts';

export interface ProcessorContext {
  db: Db;
  env: WorkerEnv;
  logger: Logger;
  /** Enqueues follow-up jobs (same connection and prefix as the worker). */
  enqueue: <Q extends QueueName>(queue: Q, payload: QueuePayload<Q>, jobId: string, opts?: EnqueueOptions) => Promise<void>;
}

export type Processor<Q extends QueueName> = (payload: QueuePayload<Q>, job: Job, ctx: ProcessorContext) => Promise<unknown>;

export type ProcessorRegistry = { [Q in QueueName]?: Processor<Q> };

/**
 * Thin processors: re-validate the payload (never trust what is in Redis), then call feature
 * code in src/jobs. Queues without a processor here are not consumed by this process.
 */
export const processors: ProcessorRegistry = {
  [QueueName.ingestWindow]: async (payload, _job, ctx) => {
    const result = await streamModelVersion(ctx.db, payload);
    if (result.metricPoints > 0) await alertsAfterMetrics(ctx, payload.organizationId);
    return result;
  },
  [QueueName.windowRecompute]: async (payload, _job, ctx) => {
    const result = await recomputeWindow(ctx.db, payload);
    if (result.metricPoints > 0) await alertsAfterMetrics(ctx, payload.organizationId);
    return result;
  },
  [QueueName.alertEvaluation]: async (payload, _job, ctx) => {
    const now = Date.now();
    const result = await evaluateAlerts(ctx.db, payload.organizationId, { now, graceMs: ctx.env.WINDOW_GRACE_MS, webUrl: ctx.env.WEB_URL });
    for (const deliveryId of result.deliveries) await enqueueDelivery(ctx, payload.organizationId, deliveryId);
    if (result.nextDueAt !== null) {
      // A group's wait or repeat interval ends without new data: evaluate again then.
      await ctx.enqueue(QueueName.alertEvaluation, { organizationId: payload.organizationId, trigger: 'due' }, `ae_${payload.organizationId}_due_${result.nextDueAt}`, {
        delay: Math.max(0, result.nextDueAt - now),
      });
    }
    return { rules: result.rules, transitions: result.transitions, deliveries: result.deliveries.length };
  },
  [QueueName.notificationDelivery]: (payload, job, ctx) => {
    const attempts = job.opts.attempts ?? 1;
    return deliver(ctx.db, deliverySettings(ctx), payload.organizationId, payload.deliveryId, {
      number: job.attemptsMade + 1,
      final: job.attemptsMade + 1 >= attempts,
    });
  },
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
      case 'alert-sweep': {
        const orgs = await workspacesWithRules(ctx.db);
        for (const organizationId of orgs) await requestAlertEvaluation(ctx, organizationId, 'schedule');
        return { workspaces: orgs.length };
      }
      case 'delivery-sweep': {
        const pending = await pendingDeliveries(ctx.db);
        for (const d of pending) await enqueueDelivery(ctx, d.organizationId, d.deliveryId);
        return { pending: pending.length };
      }
      case 'reference-sweep': {
        const pending = await pendingReferences(ctx.db);
        for (const job of pending) await ctx.enqueue(QueueName.referenceProfile, job, JobId.referenceProfile(job));
        return { pending: pending.length };
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

/**
 * Asks for an evaluation of the workspace's alerts shortly; requests within the same 5-second
 * bucket fold into one job.
 */
export async function requestAlertEvaluation(ctx: Pick<ProcessorContext, 'enqueue'>, organizationId: string, trigger: 'metrics-written' | 'schedule', now = Date.now()): Promise<void> {
  await ctx.enqueue(QueueName.alertEvaluation, { organizationId, trigger }, JobId.alertEvaluation({ organizationId }, now), { delay: trigger === 'schedule' ? 0 : 2_000 });
}

/** After metric points were written: evaluate the workspace's alerts shortly. */
async function alertsAfterMetrics(ctx: ProcessorContext, organizationId: string): Promise<void> {
  try {
    await requestAlertEvaluation(ctx, organizationId, 'metrics-written');
  } catch (err) {
    // The alert sweep evaluates every workspace each minute anyway.
    ctx.logger.warn({ err: (err as Error).message, organizationId }, 'could not enqueue an alert evaluation');
  }
}

function enqueueDelivery(ctx: ProcessorContext, organizationId: string, deliveryId: string): Promise<void> {
  return ctx.enqueue(QueueName.notificationDelivery, { organizationId, deliveryId }, JobId.notificationDelivery({ deliveryId }), {
    backoffDelay: ctx.env.NOTIFY_RETRY_BASE_MS,
  });
}

const boxes = new Map<string, SecretBox>();

function deliverySettings(ctx: ProcessorContext): DeliverySettings {
  const key = secretKeyOf(ctx.env);
  let box = boxes.get(key);
  if (!box) boxes.set(key, (box = new SecretBox(key)));
  return { box, webUrl: ctx.env.WEB_URL, smtpUrl: ctx.env.SMTP_URL, smtpFrom: ctx.env.SMTP_FROM, pagerDutyEventsUrl: ctx.env.PAGERDUTY_EVENTS_URL };
}

export function parsePayload<Q extends QueueName>(queue: Q, data: unknown): QueuePayload<Q> {
  return QueuePayloadSchemas[queue].parse(data) as QueuePayload<Q>;
}
