import type pg from 'pg';

/** One latest hourly value for the opt-in Prometheus model metrics (docs/bi.md). */
export interface ModelGaugePoint {
  workspace: string;
  project: string;
  model: string;
  version: string;
  metric: string;
  /** '' for model-level metrics. */
  column: string;
  value: number;
}

/**
 * The newest hourly value (whole population) of each `metrics` metric of every model version,
 * from the last `hours` hours, across all workspaces: one index range scan per model and metric
 * (metric_point_org_model_metric_idx). At most `limit` points, in a stable order, so a capped
 * scrape always keeps the same series.
 */
export async function latestModelGaugePoints(pool: pg.Pool, opts: { metrics: readonly string[]; limit: number; hours?: number }): Promise<ModelGaugePoint[]> {
  const { rows } = await pool.query<ModelGaugePoint>({
    name: 'vigil_latest_model_gauges',
    text: `SELECT o.slug AS workspace, p.slug AS project, m.slug AS model, mv.name AS version, x.metric, x.column_name AS "column", x.value
           FROM models m
           JOIN projects p ON p.id = m.project_id
           JOIN organizations o ON o.id = m.organization_id
           CROSS JOIN unnest($1::text[]) AS k(metric)
           CROSS JOIN LATERAL (
             SELECT DISTINCT ON (mp.model_version_id, mp.column_name) mp.model_version_id, mp.metric, mp.column_name, mp.value
             FROM metric_point mp
             WHERE mp.organization_id = m.organization_id AND mp.model_id = m.id AND mp.metric = k.metric AND mp.granularity = 'hour'
               AND mp.window_start >= now() - make_interval(hours => $3) AND mp.segment = '' AND mp.model_version_id IS NOT NULL
             ORDER BY mp.model_version_id, mp.column_name, mp.window_start DESC
           ) x
           JOIN model_versions mv ON mv.id = x.model_version_id
           ORDER BY o.slug, p.slug, m.slug, mv.name, x.metric, x.column_name
           LIMIT $2`,
    values: [opts.metrics, opts.limit, opts.hours ?? 3],
  });
  return rows;
}
