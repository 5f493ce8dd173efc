import type { IngestWindowJob } from '@vigil/contracts';
import {
  advanceStream,
  finishedTransactionsBelow,
  hasUnmergedEvents,
  inTransaction,
  labelsForPredictions,
  lockStream,
  predictionsWrittenBetween,
  streamFrontier,
  upsertMetricPoints,
  type Db,
  type Executor,
  type MetricPointInput,
} from '@vigil/db';
import type { ColumnProfile } from '@vigil/metrics';
import { columnKey, loadModelContext, type ModelContext } from '../model-context.js';
import { loadMergedProfiles, mergeIntoStore, MINUTE_PROFILES_KEPT_MS, ProfileAccumulator, windowStartOf, type ProfileKey } from '../profiles-store.js';
import { metricsFromProfiles } from '../window-metrics.js';
import { EstimateAccumulator, estimatePointsInRange, mergeEstimatesIntoStore, storedEstimatePoints } from '../estimates-store.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/**
 * Finest-grain profiles (per window, column and segment) a run holds before it merges them into
 * the store: a backlog spanning days (a backfill, a worker that was down) is merged a slice at a
 * time in the same transaction, so memory stays bounded whatever the backlog's time span.
 */
export const MAX_PENDING_PROFILES = 10_000;

export interface StreamResult {
  events: number;
  metricPoints: number;
}

type StreamJob = Pick<IngestWindowJob, 'organizationId' | 'modelId' | 'modelVersionId'>;

/**
 * The streaming step for one model version: merges every event not merged yet into the
 * minute, hour and day profiles, then recomputes the rolling-1h window and the hour and day
 * windows the events fell into.
 *
 * Which events are new is decided by transaction id, not by sequence number: the worker takes
 * the events of transactions below the current snapshot's xmin (all finished) and above the
 * version's stored frontier, then moves the frontier — in the same transaction as the profile
 * writes, under a per-version advisory lock. So a rerun (retry, duplicate job, crash before
 * commit) merges nothing twice, and an event committed late by a slow transaction is still
 * merged by a later run.
 */
export async function streamModelVersion(db: Db, job: StreamJob, now = Date.now(), opts: { maxPendingProfiles?: number } = {}): Promise<StreamResult> {
  const total = { events: 0, metricPoints: 0 };
  // Events committed while a run was working are taken by another pass at once rather than
  // waiting for the next job (whose enqueue may have been folded into the running one).
  for (let pass = 0; pass < 3; pass++) {
    const r = await streamOnce(db, job, pass === 0 ? now : Date.now(), opts.maxPendingProfiles ?? MAX_PENDING_PROFILES);
    total.events += r.events;
    total.metricPoints += r.metricPoints;
    if (r.events === 0 || !(await hasUnmergedEvents(db.pool, job.organizationId, job.modelVersionId))) break;
  }
  return total;
}

async function streamOnce(db: Db, job: StreamJob, now: number, maxPendingProfiles: number): Promise<StreamResult> {
  const ctx = await loadModelContext(db, job.organizationId, job.modelId);
  const minuteHorizon = windowStartOf(now - MINUTE_PROFILES_KEPT_MS, 'hour');
  const acc = new ProfileAccumulator(ctx, now >>> 0, minuteHorizon);
  // Estimate sums (CBPE, PCA reconstruction) of the same events, when the reference has estimators.
  const estimates = new EstimateAccumulator(ctx, minuteHorizon);
  const tenant = { organizationId: job.organizationId, projectId: ctx.projectId };
  const rollingFrom = windowStartOf(now, 'minute') - HOUR;
  // Segments with events in the last hour: their rolling window is refreshed at the end.
  const recent = new Set<string>();
  let metricPoints = 0;
  return inTransaction(db.pool, async (client) => {
    // Merges what was accumulated into the store and writes the metrics of the hour and day
    // windows it touched, from the profiles just stored (a window touched again by a later slice
    // is written again, from its profiles then).
    const flush = async () => {
      if (acc.finest.size === 0) return;
      for (const { key } of acc.finest.values()) if (key.windowStart > rollingFrom) recent.add(key.segment);
      const stored = await mergeIntoStore(client, ctx, job.modelVersionId, acc.drain(), 'merge');
      const points = windowMetricsOf(ctx, job.modelVersionId, stored);
      const storedEstimates = await mergeEstimatesIntoStore(client, ctx, job.modelVersionId, estimates.drain());
      points.push(...storedEstimatePoints(ctx, job.modelVersionId, storedEstimates));
      await upsertMetricPoints(client, points);
      metricPoints += points.length;
    };
    await lockStream(client, job.modelVersionId);
    const from = await streamFrontier(client, job.organizationId, job.modelVersionId);
    const to = await finishedTransactionsBelow(client);
    // Every event between the frontier and `to` is merged, in any order; each batch is read once
    // however large the backlog. Labels already stored for these predictions are merged with them.
    for await (const page of predictionsWrittenBetween(client, job.organizationId, job.modelVersionId, from, to)) {
      let min = Infinity;
      let max = -Infinity;
      for (const e of page) {
        if (e.time < min) min = e.time;
        if (e.time > max) max = e.time;
      }
      const labels = await labelsForPredictions(client, tenant, job.modelVersionId, min, max + 1, page.map((e) => e.id));
      estimates.addPage(page);
      for (const e of page) {
        const l = labels.get(e.id);
        acc.add(l ? { ...e, label: l.label } : e);
        // Checked per event: one page may span days of sparse history.
        if (acc.finest.size >= maxPendingProfiles) await flush();
      }
    }
    await flush();
    await advanceStream(client, job.organizationId, job.modelVersionId, to, { events: acc.events, newestEvent: acc.newestEvent });
    // The metrics are written in the same transaction, under the lock: a run that dies after
    // merging cannot leave windows without their metrics (the frontier moves only with them),
    // and a run that stalls cannot overwrite the metrics of a later run with older ones.
    if (recent.size > 0) {
      const points: MetricPointInput[] = [];
      for (const segment of recent) points.push(...(await rollingPoints(client, ctx, job.modelVersionId, segment, now)));
      await upsertMetricPoints(client, points);
      metricPoints += points.length;
    }
    return { events: acc.events, metricPoints };
  });
}

/** Metrics of the hour and day windows among stored profiles, from those profiles. */
function windowMetricsOf(ctx: ModelContext, modelVersionId: string, stored: { key: ProfileKey; profile: ColumnProfile }[]): MetricPointInput[] {
  const windows = new Map<string, { granularity: 'hour' | 'day'; windowStart: number; segment: string; profiles: Map<string, ColumnProfile> }>();
  for (const { key, profile } of stored) {
    if (key.granularity === 'minute') continue;
    const id = `${key.granularity}|${key.windowStart}|${key.segment}`;
    let w = windows.get(id);
    if (!w) windows.set(id, (w = { granularity: key.granularity, windowStart: key.windowStart, segment: key.segment, profiles: new Map() }));
    w.profiles.set(columnKey(key), profile);
  }
  const points: MetricPointInput[] = [];
  for (const w of windows.values()) {
    points.push(...metricsFromProfiles(ctx, { modelVersionId, granularity: w.granularity, windowStart: new Date(w.windowStart), segment: w.segment }, w.profiles));
  }
  return points;
}

/** The rolling-1h window ending now, from the stored minute profiles. */
function rollingPoints(q: Executor, ctx: ModelContext, modelVersionId: string, segment: string, now: number): Promise<MetricPointInput[]> {
  const currentMinute = windowStartOf(now, 'minute');
  return windowPoints(q, ctx, modelVersionId, 'minute', currentMinute - 59 * MINUTE, currentMinute + MINUTE, 'rolling_1h', segment);
}

/**
 * Recomputes, from stored profiles, the hour and day windows containing the given minutes
 * (per segment) and — when any is within the last hour — the rolling-1h window ending now.
 */
export async function refreshWindowMetrics(
  q: Executor,
  ctx: ModelContext,
  modelVersionId: string,
  touched: Map<string, Set<number>>,
  now = Date.now(),
): Promise<number> {
  const points: MetricPointInput[] = [];
  const currentMinute = windowStartOf(now, 'minute');
  for (const [segment, minutes] of touched) {
    const hours = new Set([...minutes].map((m) => windowStartOf(m, 'hour')));
    const days = new Set([...minutes].map((m) => windowStartOf(m, 'day')));
    for (const h of hours) points.push(...(await windowPoints(q, ctx, modelVersionId, 'hour', h, h + HOUR, 'hour', segment)));
    for (const d of days) points.push(...(await windowPoints(q, ctx, modelVersionId, 'day', d, d + DAY, 'day', segment)));
    if ([...minutes].some((m) => m > currentMinute - HOUR)) points.push(...(await rollingPoints(q, ctx, modelVersionId, segment, now)));
  }
  await upsertMetricPoints(q, points);
  return points.length;
}

/** Metrics of one window from the stored profiles of a finer granularity. */
async function windowPoints(
  q: Executor,
  ctx: ModelContext,
  modelVersionId: string,
  source: 'minute' | 'hour' | 'day',
  from: number,
  to: number,
  granularity: 'hour' | 'day' | 'rolling_1h',
  segment: string,
): Promise<MetricPointInput[]> {
  const kinds = new Map(ctx.columns.map((c) => [columnKey(c), c.kind]));
  const profiles = await loadMergedProfiles(q, ctx.organizationId, modelVersionId, source, new Date(from), new Date(to), segment, kinds);
  const w = { modelVersionId, granularity, windowStart: new Date(from), segment };
  return [...metricsFromProfiles(ctx, w, profiles), ...(await estimatePointsInRange(q, ctx, w, source, from, to))];
}
