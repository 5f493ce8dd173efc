import type { Executor } from './executor.js';
import type { TenantDb } from './tenant.js';

export interface MetricPointInput {
  organizationId: string;
  projectId: string;
  modelId: string;
  /** null: the model across all its versions. */
  modelVersionId: string | null;
  metric: string;
  /** '' (default) for model-level metrics. */
  columnName?: string;
  /** '' (default) for the whole population, else "tag=value". */
  segment?: string;
  granularity: 'minute' | 'hour' | 'day' | 'rolling_1h';
  windowStart: Date;
  value: number;
  details?: unknown;
}

/**
 * Writes metric points in one statement. A point is keyed by (model, version, metric, column,
 * segment, granularity, window start): writing the same key again replaces its value, so
 * recomputes and retried jobs never duplicate a point. Non-finite values are skipped — a
 * metric that cannot be computed for a window is absent, not NaN.
 */
export async function upsertMetricPoints(q: Executor, points: MetricPointInput[]): Promise<number> {
  const rows = points.filter((p) => Number.isFinite(p.value));
  if (rows.length === 0) return 0;
  // Postgres refuses to update the same row twice in one statement: last write per key wins.
  const byKey = new Map<string, MetricPointInput>();
  for (const p of rows) {
    byKey.set(
      [p.modelId, p.modelVersionId ?? '', p.metric, p.columnName ?? '', p.segment ?? '', p.granularity, p.windowStart.getTime()].join('\u0000'),
      p,
    );
  }
  const unique = [...byKey.values()];
  const res = await q.query(
    `INSERT INTO metric_point (organization_id, project_id, model_id, model_version_id, metric, column_name, segment,
                               granularity, window_start, value, details)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                          $8::text[], $9::timestamptz[], $10::float8[], $11::jsonb[])
     ON CONFLICT (model_id, model_version_id, metric, column_name, segment, granularity, window_start)
     DO UPDATE SET value = EXCLUDED.value, details = EXCLUDED.details, computed_at = now()`,
    [
      unique.map((p) => p.organizationId),
      unique.map((p) => p.projectId),
      unique.map((p) => p.modelId),
      unique.map((p) => p.modelVersionId),
      unique.map((p) => p.metric),
      unique.map((p) => p.columnName ?? ''),
      unique.map((p) => p.segment ?? ''),
      unique.map((p) => p.granularity),
      unique.map((p) => p.windowStart.toISOString()),
      unique.map((p) => p.value),
      unique.map((p) => (p.details === undefined ? null : JSON.stringify(p.details))),
    ],
  );
  return res.rowCount ?? 0;
}

export interface MetricPointFilter {
  modelId: string;
  granularity: string;
  /** '' for the whole population */
  segment: string;
  from: Date;
  to: Date;
  metrics?: readonly string[];
  column?: string;
  modelVersionId?: string;
  limit: number;
}

export interface MetricPointRecord {
  metric: string;
  column: string;
  segment: string;
  modelVersionId: string | null;
  granularity: string;
  windowStart: Date;
  value: number;
  details: unknown;
}

/** A model's points matching `f`, windows starting in [from, to), in (window, metric, column) order. */
export async function listMetricPoints(t: TenantDb, f: MetricPointFilter): Promise<MetricPointRecord[]> {
  const rows = await t.metricPoint.findMany({
    where: {
      modelId: f.modelId,
      granularity: f.granularity,
      segment: f.segment,
      windowStart: { gte: f.from, lt: f.to },
      ...(f.metrics ? { metric: { in: [...f.metrics] } } : {}),
      ...(f.column !== undefined ? { columnName: f.column } : {}),
      ...(f.modelVersionId ? { modelVersionId: f.modelVersionId } : {}),
    },
    orderBy: [{ windowStart: 'asc' }, { metric: 'asc' }, { columnName: 'asc' }],
    take: f.limit,
  });
  return rows.map((p) => ({
    metric: p.metric,
    column: p.columnName,
    segment: p.segment,
    modelVersionId: p.modelVersionId,
    granularity: p.granularity,
    windowStart: p.windowStart,
    value: p.value,
    details: p.details,
  }));
}

/**
 * Removes points of one granularity of every workspace with windows before `before`, `batch`
 * rows per statement; returns how many. Cross-tenant: a scheduler's compaction.
 */
export async function deleteMetricPointsBefore(q: Executor, granularity: string, before: Date, batch = 50_000): Promise<number> {
  let deleted = 0;
  for (;;) {
    const r = await q.query(
      `DELETE FROM metric_point WHERE ctid IN (SELECT ctid FROM metric_point WHERE granularity = $1 AND window_start < $2 LIMIT $3)`,
      [granularity, before, batch],
    );
    deleted += r.rowCount ?? 0;
    if ((r.rowCount ?? 0) < batch) return deleted;
  }
}
