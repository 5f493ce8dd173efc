import { MetricName, resolveTimeRange, VigilError, type ResolvedRange, type TimeRange } from '@vigil/contracts';
import { metricSeries, modelSummary, type BucketAggregate, type Db, type ModelSummary } from '@vigil/db';
import { MIN_LABELS } from './headline.js';

/*
 * A model's metrics as chart series: every bucket of the range present (null where no window
 * had data), the stored granularity picked by the range, and windows of performance resting on
 * too few labels marked provisional.
 */

const SUMMED = new Set<string>([MetricName.predictionCount, MetricName.labelCount]);
const MAXED = new Set<string>([MetricName.driftDetected, MetricName.datasetDrift]);
/** Computed only by the exact (batch) recompute of hour and day windows: rolling-1h points never have them. */
const BATCH_ONLY = new Set<string>([
  MetricName.labelCoverage,
  MetricName.labelDelaySeconds,
  MetricName.accuracy,
  MetricName.precision,
  MetricName.recall,
  MetricName.f1,
  MetricName.rocAuc,
  MetricName.logLoss,
  MetricName.mae,
  MetricName.rmse,
  MetricName.mape,
  MetricName.r2,
  MetricName.meanError,
]);
const PERFORMANCE = new Set<string>([...BATCH_ONLY].filter((m) => m !== MetricName.labelCoverage && m !== MetricName.labelDelaySeconds));

/** How the windows inside one bucket become its value. */
export function bucketAggregate(metric: string, source: ResolvedRange['source']): BucketAggregate {
  if (source === 'rolling_1h') return 'last';
  if (SUMMED.has(metric)) return 'sum';
  if (MAXED.has(metric)) return 'max';
  return 'avg';
}

const HOUR_MS = 3_600_000;

/** The range over whole windows: hour windows (on hour boundaries) where the range reads rolling points. */
export function wholeWindows(range: ResolvedRange): ResolvedRange {
  if (range.source !== 'rolling_1h') return range;
  return { ...range, bucket: '1h', bucketMs: HOUR_MS, source: 'hour', from: Math.floor(range.from / HOUR_MS) * HOUR_MS, to: Math.ceil(range.to / HOUR_MS) * HOUR_MS };
}

/** The range a metric is read over: batch-only metrics read hour windows where the range reads rolling points. */
export function rangeFor(metric: string, range: ResolvedRange): ResolvedRange {
  return BATCH_ONLY.has(metric) ? wholeWindows(range) : range;
}

export interface SeriesPoint {
  t: number;
  value: number | null;
  /** Performance resting on fewer than MIN_LABELS labels. */
  provisional?: boolean;
  details?: unknown;
}

export interface Series {
  metric: string;
  column: string;
  bucketMs: number;
  points: SeriesPoint[];
}

/** The model's version to show: the one asked for (it must be the model's), else the one that reported last. */
export function pickVersion(model: ModelSummary, versionId: string | undefined): ModelSummary['versions'][number] | null {
  if (versionId === undefined) return model.versions[0] ?? null;
  const v = model.versions.find((x) => x.id === versionId);
  if (!v) throw new VigilError('NOT_FOUND', 'this model has no such version');
  return v;
}

export interface SeriesRequest {
  modelId: string;
  versionId?: string;
  time: TimeRange;
  metrics: readonly string[];
  columns?: readonly string[];
  segment?: string;
  /** Keep each bucket's newest details (drift thresholds, confusion matrices). */
  withDetails?: boolean;
}

export async function modelSeries(db: Db, organizationId: string, req: SeriesRequest, now = Date.now()): Promise<{ range: ResolvedRange; versionId: string | null; series: Series[] }> {
  const model = await modelSummary(db.forTenant(organizationId), req.modelId);
  const version = pickVersion(model, req.versionId);
  const range = resolveTimeRange(req.time, now);
  if (!version) return { range, versionId: null, series: [] };
  const wanted = [...new Set(req.metrics)];
  // Performance is provisional where labels are few: their counts come along.
  if (wanted.some((m) => PERFORMANCE.has(m)) && !wanted.includes(MetricName.labelCount)) wanted.push(MetricName.labelCount);
  const groups = new Map<string, { range: ResolvedRange; metrics: string[] }>();
  for (const m of wanted) {
    const r = rangeFor(m, range);
    const key = `${r.source}/${r.bucketMs}`;
    const g = groups.get(key) ?? { range: r, metrics: [] };
    g.metrics.push(m);
    groups.set(key, g);
  }
  const series: Series[] = [];
  for (const { range: r, metrics } of groups.values()) {
    const rows = await metricSeries(db.pool, {
      organizationId,
      modelId: model.id,
      modelVersionId: version.id,
      metrics,
      ...(req.columns ? { columns: req.columns } : {}),
      segment: req.segment ?? '',
      granularity: r.source,
      from: r.from,
      to: r.to,
      bucketMs: r.bucketMs,
      aggregate: Object.fromEntries(metrics.map((m) => [m, bucketAggregate(m, r.source)])),
    });
    const byKey = new Map<string, Map<number, (typeof rows)[number]>>();
    for (const p of rows) {
      const key = `${p.metric}\u0000${p.column}`;
      const points = byKey.get(key) ?? new Map();
      points.set(p.t, p);
      byKey.set(key, points);
    }
    const labels = byKey.get(`${MetricName.labelCount}\u0000`);
    for (const [key, points] of byKey) {
      const [metric, column] = key.split('\u0000') as [string, string];
      if (metric === MetricName.labelCount && !req.metrics.includes(MetricName.labelCount)) continue;
      const filled: SeriesPoint[] = [];
      for (let t = r.from; t < r.to; t += r.bucketMs) {
        const p = points.get(t);
        filled.push({
          t,
          value: p ? p.value : null,
          ...(p && PERFORMANCE.has(metric) ? { provisional: (labels?.get(t)?.value ?? 0) < MIN_LABELS } : {}),
          ...(p && req.withDetails ? { details: p.details } : {}),
        });
      }
      series.push({ metric, column, bucketMs: r.bucketMs, points: filled });
    }
  }
  series.sort((a, b) => a.metric.localeCompare(b.metric) || a.column.localeCompare(b.column));
  return { range, versionId: version.id, series };
}
