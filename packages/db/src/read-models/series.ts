import type { Executor } from '../executor.js';

/*
 * Metric points as charts read them: bucketed over time, one value per (metric, column, bucket).
 * The read side of metric_point for the web app; the read API lists raw points
 * (metric-points.ts).
 */

/** How the points that fall in one bucket become its value. */
export type BucketAggregate = 'sum' | 'avg' | 'max' | 'last';

export interface SeriesQuery {
  organizationId: string;
  modelId: string;
  /** Omitted: every version (sums add up across versions; other aggregates mix them). */
  modelVersionId?: string;
  metrics: readonly string[];
  /** Column names as stored ('' for model-level metrics); omitted: every column. */
  columns?: readonly string[];
  segment: string;
  granularity: 'rolling_1h' | 'hour' | 'day';
  from: number;
  to: number;
  bucketMs: number;
  /** Per metric; metrics not named use 'avg'. */
  aggregate: Readonly<Record<string, BucketAggregate>>;
}

export interface SeriesPoint {
  metric: string;
  column: string;
  /** Bucket start, epoch ms (buckets are aligned to the epoch). */
  t: number;
  value: number;
  /** Details of the newest point in the bucket (test and threshold of a drift score, a window's confusion matrix …). */
  details: unknown;
  /** Windows that made the bucket. */
  windows: number;
}

/** The points of `q`, bucketed: one row per (metric, column, bucket) that has data, in time order. */
export async function metricSeries(q: Executor, s: SeriesQuery): Promise<SeriesPoint[]> {
  const params: unknown[] = [s.organizationId, s.modelId, [...s.metrics], s.granularity, new Date(s.from), new Date(s.to), s.segment, s.bucketMs / 1000];
  const version = s.modelVersionId ? `AND model_version_id = $${params.push(s.modelVersionId)}` : '';
  const columns = s.columns ? `AND column_name = ANY($${params.push([...s.columns])}::text[])` : '';
  const { rows } = await q.query<{ metric: string; column_name: string; t: Date; sum: number; avg: number; max: number; last: number; details: unknown; windows: number }>(
    `SELECT metric, column_name, date_bin(make_interval(secs => $8), window_start, TIMESTAMPTZ 'epoch') AS t,
            sum(value) AS sum, avg(value) AS avg, max(value) AS max,
            (array_agg(value ORDER BY window_start DESC))[1] AS last,
            (array_agg(details ORDER BY window_start DESC))[1] AS details,
            count(DISTINCT window_start)::int AS windows
     FROM metric_point
     WHERE organization_id = $1 AND model_id = $2 AND metric = ANY($3::text[]) AND granularity = $4
       AND window_start >= $5 AND window_start < $6 AND segment = $7 ${version} ${columns}
     GROUP BY 1, 2, 3
     ORDER BY 3`,
    params,
  );
  return rows.map((r) => ({
    metric: r.metric,
    column: r.column_name,
    t: r.t.getTime(),
    value: r[s.aggregate[r.metric] ?? 'avg'],
    details: r.details,
    windows: r.windows,
  }));
}

export interface LatestPoint {
  metric: string;
  column: string;
  windowStart: number;
  value: number;
  details: unknown;
}

/** The newest point of each (metric, column) in [from, to) at one granularity. */
export async function latestPoints(
  q: Executor,
  s: Pick<SeriesQuery, 'organizationId' | 'modelId' | 'modelVersionId' | 'metrics' | 'segment' | 'granularity' | 'from' | 'to'>,
): Promise<LatestPoint[]> {
  const params: unknown[] = [s.organizationId, s.modelId, [...s.metrics], s.granularity, new Date(s.from), new Date(s.to), s.segment];
  const version = s.modelVersionId ? `AND model_version_id = $${params.push(s.modelVersionId)}` : '';
  const { rows } = await q.query<{ metric: string; column_name: string; window_start: Date; value: number; details: unknown }>(
    `SELECT DISTINCT ON (metric, column_name) metric, column_name, window_start, value, details
     FROM metric_point
     WHERE organization_id = $1 AND model_id = $2 AND metric = ANY($3::text[]) AND granularity = $4
       AND window_start >= $5 AND window_start < $6 AND segment = $7 ${version}
     ORDER BY metric, column_name, window_start DESC`,
    params,
  );
  return rows.map((r) => ({ metric: r.metric, column: r.column_name, windowStart: r.window_start.getTime(), value: r.value, details: r.details }));
}

/** The segments ("tag=value") a model has points for at one granularity in [from, to). */
export async function segmentsOf(
  q: Executor,
  s: Pick<SeriesQuery, 'organizationId' | 'modelId' | 'modelVersionId' | 'granularity' | 'from' | 'to'> & { metric: string },
): Promise<string[]> {
  const params: unknown[] = [s.organizationId, s.modelId, s.metric, s.granularity, new Date(s.from), new Date(s.to)];
  const version = s.modelVersionId ? `AND model_version_id = $${params.push(s.modelVersionId)}` : '';
  const { rows } = await q.query<{ segment: string }>(
    `SELECT DISTINCT segment FROM metric_point
     WHERE organization_id = $1 AND model_id = $2 AND metric = $3 AND granularity = $4 AND window_start >= $5 AND window_start < $6
       AND segment <> '' ${version}
     ORDER BY segment LIMIT 500`,
    params,
  );
  return rows.map((r) => r.segment);
}

/** The value and details of one metric of one window (a window's confusion matrix, say), or null. */
export async function pointAt(
  q: Executor,
  s: { organizationId: string; modelId: string; modelVersionId?: string; metric: string; column?: string; segment?: string; granularity: string; windowStart: number },
): Promise<{ value: number; details: unknown } | null> {
  const params: unknown[] = [s.organizationId, s.modelId, s.metric, s.granularity, new Date(s.windowStart), s.column ?? '', s.segment ?? ''];
  const version = s.modelVersionId ? `AND model_version_id = $${params.push(s.modelVersionId)}` : '';
  const { rows } = await q.query<{ value: number; details: unknown }>(
    `SELECT value, details FROM metric_point
     WHERE organization_id = $1 AND model_id = $2 AND metric = $3 AND granularity = $4 AND window_start = $5
       AND column_name = $6 AND segment = $7 ${version}
     ORDER BY computed_at DESC LIMIT 1`,
    params,
  );
  return rows[0] ?? null;
}

export interface SegmentTotal {
  segment: string;
  metric: string;
  sum: number;
  avg: number;
  windows: number;
}

/** Per segment and metric, the sum and mean of a model's points in [from, to) (model-level points only). */
export async function segmentTotals(
  q: Executor,
  s: Pick<SeriesQuery, 'organizationId' | 'modelId' | 'modelVersionId' | 'metrics' | 'granularity' | 'from' | 'to'>,
): Promise<SegmentTotal[]> {
  const params: unknown[] = [s.organizationId, s.modelId, [...s.metrics], s.granularity, new Date(s.from), new Date(s.to)];
  const version = s.modelVersionId ? `AND model_version_id = $${params.push(s.modelVersionId)}` : '';
  const { rows } = await q.query<SegmentTotal>(
    `SELECT segment, metric, sum(value) AS sum, avg(value) AS avg, count(*)::int AS windows
     FROM metric_point
     WHERE organization_id = $1 AND model_id = $2 AND metric = ANY($3::text[]) AND granularity = $4
       AND window_start >= $5 AND window_start < $6 AND column_name = '' ${version}
     GROUP BY 1, 2`,
    params,
  );
  return rows;
}
