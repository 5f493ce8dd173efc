import { deleteMetricPointsBefore, deleteMinuteEstimateStatesBefore, deleteMinuteProfilesBefore, deleteProjectEventsBefore, dropPartitionsBefore, projectRetentions, type Db } from '@vigil/db';
import { MINUTE_PROFILES_KEPT_MS } from '../profiles-store.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export interface RetentionResult {
  droppedPartitions: number;
  /** predictions removed with their batches */
  deletedEvents: number;
  deletedKeys: number;
  deletedLabels: number;
}

/**
 * Applies each project's retention (days of raw events kept). Whole daily partitions older than
 * the longest retention of any project are dropped — cheap, no row deletes. Projects that keep
 * less lose their older batches, keys and labels by batched deletes. Metric points and hour/day
 * profiles are kept: they are the history users look at after raw events expire.
 */
export async function applyRetention(
  db: Db,
  now: number,
  opts: { batch?: number; projectIds?: string[]; dropPartitions?: boolean } = {},
): Promise<RetentionResult> {
  const batch = opts.batch ?? 10_000;
  const all = await projectRetentions(db.pool);
  const longest = Math.max(1, ...all.map((p) => p.retentionDays));
  const cutoffDay = new Date(now - longest * DAY_MS).toISOString().slice(0, 10);
  const droppedPartitions = opts.dropPartitions === false ? 0 : await dropPartitionsBefore(db.pool, cutoffDay);
  const projects = opts.projectIds ? all.filter((p) => opts.projectIds!.includes(p.projectId)) : all;
  const result: RetentionResult = { droppedPartitions, deletedEvents: 0, deletedKeys: 0, deletedLabels: 0 };
  for (const p of projects) {
    const cutoff = now - p.retentionDays * DAY_MS;
    // A batch holds one hour of events: a project's retention is applied to the hour.
    const cutoffHour = new Date(cutoff - (cutoff % HOUR_MS));
    const deleted = await deleteProjectEventsBefore(db.pool, p.projectId, { batchesBefore: cutoffHour, keysBefore: cutoffHour, labelsBefore: new Date(cutoff) }, batch);
    result.deletedEvents += deleted.events;
    result.deletedKeys += deleted.keys;
    result.deletedLabels += deleted.labels;
  }
  return result;
}

/** Rolling-1h points serve live charts and rolling alert rules, whose backtests reach back this far. */
export const ROLLING_POINTS_KEPT_DAYS = 8;

/** Minute profiles serve the rolling window and recent recomputes; older ones are removed. */
export async function compactProfiles(db: Db, now: number, keepMs = MINUTE_PROFILES_KEPT_MS): Promise<number> {
  const before = new Date(now - keepMs);
  // Minute estimate sums serve the same rolling windows and go with the minute profiles.
  return (await deleteMinuteProfilesBefore(db.pool, before)) + (await deleteMinuteEstimateStatesBefore(db.pool, before));
}

/**
 * Rolling-1h points (one per minute per metric) are kept for the rolling backtest's reach, then
 * removed: hour and day points are the history.
 */
export function compactRollingPoints(db: Db, now: number): Promise<number> {
  return deleteMetricPointsBefore(db.pool, 'rolling_1h', new Date(now - ROLLING_POINTS_KEPT_DAYS * DAY_MS));
}
