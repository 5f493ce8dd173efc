import { MetricName, resolveTimeRange, type ResolvedRange, type TimeRange } from '@vigil/contracts';
import { estimateBuckets, modelSummary, reconstructionBuckets, type Db, type EstimateBucket, type ReconstructionBucket } from '@vigil/db';
import { MIN_LABELS } from './headline.js';
import { pickVersion, wholeWindows } from './series.js';

/*
 * The two charts drawn with a band: a performance metric estimated before labels arrive (CBPE)
 * with its ±3 SE band, the reference band and the realized metric on top, and the multivariate
 * drift (PCA reconstruction error) with its thresholds. Both read whole windows (hour windows
 * where the range would read rolling points: a band belongs to a window), one query each.
 */

/** The realized metric each estimate stands for. */
export const REALIZED_OF: Record<string, string> = {
  [MetricName.estimatedAccuracy]: MetricName.accuracy,
  [MetricName.estimatedPrecision]: MetricName.precision,
  [MetricName.estimatedRecall]: MetricName.recall,
  [MetricName.estimatedF1]: MetricName.f1,
  [MetricName.estimatedRocAuc]: MetricName.rocAuc,
};

export interface EstimatePoint extends EstimateBucket {
  /** The realized value rests on fewer than MIN_LABELS labels. */
  provisional: boolean;
}

export interface PerformanceEstimate {
  range: ResolvedRange;
  bucketMs: number;
  versionId: string | null;
  metric: string;
  realizedMetric: string;
  /** Buckets with an estimate or a realized value, in time order. */
  points: EstimatePoint[];
  /** The newest bucket with an estimate, and whether labels had arrived for it. */
  latest: EstimatePoint | null;
}

export interface ModelRangeRequest {
  modelId: string;
  versionId?: string;
  time: TimeRange;
}

async function scopeOf(db: Db, organizationId: string, req: ModelRangeRequest, now: number) {
  const model = await modelSummary(db.forTenant(organizationId), req.modelId);
  const version = pickVersion(model, req.versionId);
  const range = wholeWindows(resolveTimeRange(req.time, now));
  const scope = version
    ? { organizationId, modelId: model.id, modelVersionId: version.id, granularity: range.source, from: range.from, to: range.to, bucketMs: range.bucketMs }
    : null;
  return { range, scope };
}

/** One estimated metric over the range with its band, the reference band and the realized metric. */
export async function performanceEstimate(db: Db, organizationId: string, req: ModelRangeRequest & { metric: string }, now = Date.now()): Promise<PerformanceEstimate> {
  const realizedMetric = REALIZED_OF[req.metric] ?? MetricName.f1;
  const { range, scope } = await scopeOf(db, organizationId, req, now);
  const buckets = scope ? await estimateBuckets(db.pool, { ...scope, estimated: req.metric, realized: realizedMetric }) : [];
  const points = buckets.map((b) => ({ ...b, provisional: b.realized !== null && (b.labels ?? 0) < MIN_LABELS }));
  const latest = points.findLast((p) => p.value !== null) ?? null;
  return { range, bucketMs: range.bucketMs, versionId: scope?.modelVersionId ?? null, metric: req.metric, realizedMetric, points, latest };
}

export interface MultivariateDrift {
  range: ResolvedRange;
  bucketMs: number;
  versionId: string | null;
  points: (ReconstructionBucket & { drifted: boolean })[];
  /** The newest bucket, with its verdict. */
  latest: (ReconstructionBucket & { drifted: boolean }) | null;
}

/** The PCA reconstruction error over the range with its thresholds; a bucket is drifted when any window in it is. */
export async function multivariateDrift(db: Db, organizationId: string, req: ModelRangeRequest, now = Date.now()): Promise<MultivariateDrift> {
  const { range, scope } = await scopeOf(db, organizationId, req, now);
  const buckets = scope ? await reconstructionBuckets(db.pool, { ...scope, metric: MetricName.reconstructionError }) : [];
  const points = buckets.map((b) => ({ ...b, drifted: b.driftedWindows > 0 }));
  return { range, bucketMs: range.bucketMs, versionId: scope?.modelVersionId ?? null, points, latest: points.at(-1) ?? null };
}
