import { ALERT_GRANULARITY_SECONDS, DEFAULT_WINDOW_GRACE_MS, MetricName, type AlertRuleDefinition } from '@vigil/contracts';
import type { Executor } from '../executor.js';

/** A metric point as the alert evaluator reads it (`MetricPoint` of @vigil/alerting). */
export interface AlertPoint {
  metric: string;
  column: string;
  segment: string;
  modelId: string;
  modelVersionId: string | null;
  projectId: string;
  granularity: 'minute' | 'hour' | 'day' | 'rolling_1h';
  windowStart: number;
  value: number;
  details?: unknown;
  ready: boolean;
}

/**
 * The points of `metrics` at `granularity` for the given projects, windows starting in
 * [from, to). A window is ready (complete) when its exact batch result was written, or its
 * grace period has passed; a rolling-1h point once its minute has ended.
 */
export async function loadAlertPoints(
  q: Executor,
  organizationId: string,
  projectIds: string[],
  metrics: string[],
  granularity: 'hour' | 'day' | 'rolling_1h',
  from: number,
  to: number,
  opts: { now?: number; graceMs?: number; modelIds?: string[] } = {},
): Promise<AlertPoint[]> {
  if (projectIds.length === 0 || metrics.length === 0) return [];
  const now = opts.now ?? Date.now();
  const lengthMs = ALERT_GRANULARITY_SECONDS[granularity] * 1000;
  const { rows } = await q.query<{
    metric: string;
    column_name: string;
    segment: string;
    model_id: string;
    model_version_id: string | null;
    project_id: string;
    window_start: Date;
    value: number;
    details: unknown;
    closed: boolean;
  }>(
    `SELECT p.metric, p.column_name, p.segment, p.model_id, p.model_version_id, p.project_id, p.window_start, p.value, p.details,
            (w.closed_at IS NOT NULL) AS closed
     FROM metric_point p
     LEFT JOIN window_state w ON w.model_version_id = p.model_version_id AND w.granularity = p.granularity AND w.window_start = p.window_start
     WHERE p.organization_id = $1
       AND p.model_id IN (SELECT id FROM models WHERE organization_id = $1 AND project_id = ANY($2::text[]) ${opts.modelIds ? 'AND id = ANY($7::text[])' : ''})
       AND p.metric = ANY($3::text[]) AND p.granularity = $4 AND p.window_start >= $5 AND p.window_start < $6
     ORDER BY p.window_start`,
    [organizationId, projectIds, metrics, granularity, new Date(from), new Date(to), ...(opts.modelIds ? [opts.modelIds] : [])],
  );
  const grace = opts.graceMs ?? DEFAULT_WINDOW_GRACE_MS;
  return rows.map((r) => {
    const start = r.window_start.getTime();
    const ready = granularity === 'rolling_1h' ? start + lengthMs <= now : r.closed || start + lengthMs + grace <= now;
    return {
      metric: r.metric,
      column: r.column_name,
      segment: r.segment,
      modelId: r.model_id,
      modelVersionId: r.model_version_id,
      projectId: r.project_id,
      granularity,
      windowStart: start,
      value: r.value,
      ...(r.details !== null && r.details !== undefined ? { details: r.details } : {}),
      ready,
    };
  });
}

/**
 * The points a rule reads, windows starting in [from, to): its metric (and label coverage when
 * it has a minimum), of the team's projects its scope keeps (`teamProjectIds`: the projects of
 * the rule's team), and of its scoped models. Used by the evaluator and by every backtest.
 */
export function loadRulePoints(
  q: Executor,
  organizationId: string,
  teamProjectIds: readonly string[],
  def: AlertRuleDefinition,
  from: number,
  to: number,
  opts: { now?: number; graceMs?: number } = {},
): Promise<AlertPoint[]> {
  const scoped = def.scope.projectIds?.length ? teamProjectIds.filter((id) => def.scope.projectIds!.includes(id)) : [...teamProjectIds];
  const metrics = [def.metric, ...(def.minLabelCoverage !== undefined ? [MetricName.labelCoverage] : [])];
  return loadAlertPoints(q, organizationId, scoped, metrics, def.granularity, from, to, {
    ...opts,
    ...(def.scope.modelIds?.length ? { modelIds: def.scope.modelIds } : {}),
  });
}
