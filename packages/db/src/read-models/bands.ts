import type { Executor } from '../executor.js';

/*
 * Metrics drawn with a band, bucketed over time for one chart each, in one query: an estimated
 * performance metric with its ±3 SE band, the reference band and the realized metric beside it;
 * the PCA reconstruction error with its thresholds and verdicts. Several windows in one bucket
 * are averaged (value and band edges alike); a bucket is drifted when any of its windows is.
 */

interface BandScope {
  organizationId: string;
  modelId: string;
  modelVersionId: string;
  granularity: 'rolling_1h' | 'hour' | 'day';
  from: number;
  to: number;
  bucketMs: number;
}

export interface EstimateBucket {
  /** Bucket start, epoch ms. */
  t: number;
  /** Mean estimate of the bucket's windows (null: no estimate, only realized data). */
  value: number | null;
  samplingError: number | null;
  lower: number | null;
  upper: number | null;
  thresholdLower: number | null;
  thresholdUpper: number | null;
  /** The realized metric, where labels have arrived. */
  realized: number | null;
  /** Labels the realized metric rests on (summed over the bucket's windows). */
  labels: number | null;
  /** Mean share of the bucket's predictions that have a label. */
  labelCoverage: number | null;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * An estimated metric (`estimated`), its details and the realized metric (`realized`) with its
 * label count and coverage, per bucket of [from, to): model-level points of the whole population.
 */
export async function estimateBuckets(q: Executor, s: BandScope & { estimated: string; realized: string }): Promise<EstimateBucket[]> {
  const { rows } = await q.query<Record<string, unknown> & { t: Date }>(
    `SELECT date_bin(make_interval(secs => $8), window_start, TIMESTAMPTZ 'epoch') AS t,
            avg(value) FILTER (WHERE metric = $9) AS value,
            avg((details->>'samplingError')::float8) FILTER (WHERE metric = $9) AS sampling_error,
            avg((details->>'lower')::float8) FILTER (WHERE metric = $9) AS lower,
            avg((details->>'upper')::float8) FILTER (WHERE metric = $9) AS upper,
            avg((details->>'thresholdLower')::float8) FILTER (WHERE metric = $9) AS threshold_lower,
            avg((details->>'thresholdUpper')::float8) FILTER (WHERE metric = $9) AS threshold_upper,
            avg(value) FILTER (WHERE metric = $10) AS realized,
            sum(value) FILTER (WHERE metric = 'label_count') AS labels,
            avg(value) FILTER (WHERE metric = 'label_coverage') AS label_coverage
     FROM metric_point
     WHERE organization_id = $1 AND model_id = $2 AND model_version_id = $3 AND granularity = $4
       AND window_start >= $5 AND window_start < $6 AND segment = '' AND column_name = ''
       AND metric = ANY($7::text[])
     GROUP BY 1
     ORDER BY 1`,
    [s.organizationId, s.modelId, s.modelVersionId, s.granularity, new Date(s.from), new Date(s.to), [s.estimated, s.realized, 'label_count', 'label_coverage'], s.bucketMs / 1000, s.estimated, s.realized],
  );
  return rows
    .map((r) => ({
      t: r.t.getTime(),
      value: num(r.value),
      samplingError: num(r.sampling_error),
      lower: num(r.lower),
      upper: num(r.upper),
      thresholdLower: num(r.threshold_lower),
      thresholdUpper: num(r.threshold_upper),
      realized: num(r.realized),
      labels: num(r.labels),
      labelCoverage: num(r.label_coverage),
    }))
    .filter((b) => b.value !== null || b.realized !== null);
}

export interface ReconstructionBucket {
  t: number;
  /** Mean reconstruction error of the bucket's windows. */
  value: number;
  lower: number | null;
  upper: number | null;
  samplingError: number | null;
  /** Windows in the bucket, and how many of them drifted. */
  windows: number;
  driftedWindows: number;
}

/** The reconstruction error (`metric`) with its thresholds and verdicts, per bucket of [from, to). */
export async function reconstructionBuckets(q: Executor, s: BandScope & { metric: string }): Promise<ReconstructionBucket[]> {
  const { rows } = await q.query<Record<string, unknown> & { t: Date }>(
    `SELECT date_bin(make_interval(secs => $8), window_start, TIMESTAMPTZ 'epoch') AS t,
            avg(value) AS value,
            avg((details->>'lower')::float8) AS lower,
            avg((details->>'upper')::float8) AS upper,
            avg((details->>'samplingError')::float8) AS sampling_error,
            count(*)::int AS windows,
            count(*) FILTER (WHERE (details->>'drifted')::boolean)::int AS drifted_windows
     FROM metric_point
     WHERE organization_id = $1 AND model_id = $2 AND model_version_id = $3 AND granularity = $4
       AND window_start >= $5 AND window_start < $6 AND segment = '' AND column_name = '' AND metric = $7
     GROUP BY 1
     ORDER BY 1`,
    [s.organizationId, s.modelId, s.modelVersionId, s.granularity, new Date(s.from), new Date(s.to), s.metric, s.bucketMs / 1000],
  );
  return rows.map((r) => ({
    t: r.t.getTime(),
    value: Number(r.value),
    lower: num(r.lower),
    upper: num(r.upper),
    samplingError: num(r.sampling_error),
    windows: Number(r.windows),
    driftedWindows: Number(r.drifted_windows),
  }));
}
