import { z } from 'zod';

/**
 * Every queue, its job payload schema and its default job options, in one place.
 * Producers (api, web) and consumers (worker) import from here; processors re-validate
 * payloads before trusting them. Queue names carry a hash tag so a Redis Cluster keeps each
 * queue's keys on one slot.
 */
export const QueueName = {
  ingestWindow: '{vigil}-ingest-window',
  windowRecompute: '{vigil}-window-recompute',
  referenceProfile: '{vigil}-reference-profile',
  alertEvaluation: '{vigil}-alert-evaluation',
  notificationDelivery: '{vigil}-notification-delivery',
  maintenance: '{vigil}-maintenance',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

const Tenant = {
  organizationId: z.string().min(1),
  projectId: z.string().min(1),
};

export const IngestWindowJobSchema = z.object({
  ...Tenant,
  modelId: z.string().min(1),
  modelVersionId: z.string().min(1),
  /** Start of the minute (ISO-8601) the new events fall into. */
  minute: z.iso.datetime(),
});
export type IngestWindowJob = z.infer<typeof IngestWindowJobSchema>;

export const WindowRecomputeJobSchema = z.object({
  ...Tenant,
  modelId: z.string().min(1),
  modelVersionId: z.string().min(1),
  granularity: z.enum(['hour', 'day']),
  windowStart: z.iso.datetime(),
  reason: z.enum(['close', 'late-data', 'labels', 'backfill']),
});
export type WindowRecomputeJob = z.infer<typeof WindowRecomputeJobSchema>;

export const ReferenceProfileJobSchema = z.object({
  ...Tenant,
  modelId: z.string().min(1),
  referenceDatasetId: z.string().min(1),
});
export type ReferenceProfileJob = z.infer<typeof ReferenceProfileJobSchema>;

/** Evaluates every enabled alert rule of a workspace (and plans its notifications). */
export const AlertEvaluationJobSchema = z.object({
  organizationId: z.string().min(1),
  /** metrics-written: after the pipeline wrote points; schedule: the periodic sweep; due: a group's wait or repeat fell due. */
  trigger: z.enum(['metrics-written', 'schedule', 'due']),
});
export type AlertEvaluationJob = z.infer<typeof AlertEvaluationJobSchema>;

export const NotificationDeliveryJobSchema = z.object({
  organizationId: z.string().min(1),
  deliveryId: z.string().min(1),
});
export type NotificationDeliveryJob = z.infer<typeof NotificationDeliveryJobSchema>;

export const MaintenanceJobSchema = z.object({
  task: z.enum(['create-partitions', 'drop-expired-partitions', 'compact-profiles', 'close-windows', 'stream-sweep', 'alert-sweep', 'delivery-sweep', 'reference-sweep']),
});
export type MaintenanceJob = z.infer<typeof MaintenanceJobSchema>;

export const QueuePayloadSchemas = {
  [QueueName.ingestWindow]: IngestWindowJobSchema,
  [QueueName.windowRecompute]: WindowRecomputeJobSchema,
  [QueueName.referenceProfile]: ReferenceProfileJobSchema,
  [QueueName.alertEvaluation]: AlertEvaluationJobSchema,
  [QueueName.notificationDelivery]: NotificationDeliveryJobSchema,
  [QueueName.maintenance]: MaintenanceJobSchema,
} as const;

export type QueuePayload<Q extends QueueName> = z.infer<(typeof QueuePayloadSchemas)[Q]>;

/** Default BullMQ job options per queue: retries with exponential backoff; bounded history. */
export const DefaultJobOptions: Record<QueueName, {
  attempts: number;
  /** `capped`: exponential from `delay`, each wait at most CAPPED_BACKOFF_MAX_MS (the worker implements it). */
  backoff: { type: 'exponential' | 'capped'; delay: number };
  removeOnComplete: boolean | { age: number; count: number };
  removeOnFail: { age: number };
}> = {
  [QueueName.ingestWindow]: {
    attempts: 8,
    backoff: { type: 'exponential', delay: 500 },
    // Removed at once so the next batch of the same minute can enqueue the same job id again.
    removeOnComplete: true,
    removeOnFail: { age: 7 * 24 * 3600 },
  },
  [QueueName.windowRecompute]: {
    attempts: 8,
    backoff: { type: 'exponential', delay: 2_000 },
    // Removed at once: the next labels batch for the same window must be able to enqueue it again.
    removeOnComplete: true,
    removeOnFail: { age: 7 * 24 * 3600 },
  },
  [QueueName.referenceProfile]: {
    attempts: 5,
    backoff: { type: 'exponential', delay: 5_000 },
    removeOnComplete: { age: 24 * 3600, count: 1_000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  },
  [QueueName.alertEvaluation]: {
    attempts: 5,
    backoff: { type: 'exponential', delay: 1_000 },
    // Removed at once: a job id that still exists (even completed) makes BullMQ ignore the next add.
    removeOnComplete: true,
    removeOnFail: { age: 7 * 24 * 3600 },
  },
  [QueueName.notificationDelivery]: {
    // 1 s, 2 s, … doubling up to one hour, then hourly: 36 attempts span about 24 hours before
    // a delivery is given up.
    attempts: 36,
    backoff: { type: 'capped', delay: 1_000 },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 30 * 24 * 3600 },
  },
  [QueueName.maintenance]: {
    attempts: 3,
    backoff: { type: 'exponential', delay: 10_000 },
    removeOnComplete: { age: 24 * 3600, count: 1_000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  },
};

/**
 * Deterministic job ids: one job per (model version, minute) so bursts of ingest batches
 * collapse into one job. BullMQ forbids ':' in custom ids.
 */
const ingestWindowJobId = (p: Pick<IngestWindowJob, 'modelVersionId' | 'minute'>) => `iw_${p.modelVersionId}_${Date.parse(p.minute)}`;

export const JobId = {
  ingestWindow: ingestWindowJobId,
  /**
   * The streaming sweep's job for a version with unmerged events: an id of its own, so it is
   * not folded into an ingest job of the same minute that may be finishing.
   */
  ingestWindowSweep: (p: Pick<IngestWindowJob, 'modelVersionId' | 'minute'>) => `${ingestWindowJobId(p)}_sweep`,
  /** With `version` (the window's state, from the close sweep): a window changed again is enqueued again. */
  windowRecompute: (p: Pick<WindowRecomputeJob, 'modelVersionId' | 'granularity' | 'windowStart'>, version?: string) =>
    `wr_${p.modelVersionId}_${p.granularity}_${Date.parse(p.windowStart)}${version === undefined ? '' : `_${version}`}`,
  referenceProfile: (p: Pick<ReferenceProfileJob, 'referenceDatasetId'>) => `rp_${p.referenceDatasetId}`,
  /**
   * One evaluation per workspace and 5-second bucket: evaluations asked for meanwhile fold into
   * it, and one that failed (kept for operators) never blocks the next bucket.
   */
  alertEvaluation: (p: Pick<AlertEvaluationJob, 'organizationId'>, now: number) => `ae_${p.organizationId}_${Math.floor(now / 5_000)}`,
  /** The evaluation a notification group's wait or repeat interval asks for at `dueAt` (epoch ms). */
  alertEvaluationDue: (p: Pick<AlertEvaluationJob, 'organizationId'>, dueAt: number) => `ae_${p.organizationId}_due_${dueAt}`,
  notificationDelivery: (p: Pick<NotificationDeliveryJob, 'deliveryId'>) => `nd_${p.deliveryId}`,
};

/** The longest single wait of the `capped` backoff. */
export const CAPPED_BACKOFF_MAX_MS = 3_600_000;
