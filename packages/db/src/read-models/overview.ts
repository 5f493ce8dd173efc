import type { Executor } from '../executor.js';

/**
 * A timestamp as epoch milliseconds (a float8, read as a JS number): these reads return thousands
 * of window starts, and parsing each as a timestamp string into a Date cost the overview ~10 ms
 * of the web process's CPU per load.
 */
const EPOCH_MS = (column: string) => `(extract(epoch FROM ${column}) * 1000)::float8`;

/*
 * What the workspace overview reads: every model with its project, team and versions, and, per
 * model, the few points its row shows. Each function is one statement over every model at once,
 * so the page costs the same few queries at 100 models as at 1.
 */

export interface OverviewModel {
  id: string;
  slug: string;
  name: string;
  task: string | null;
  project: { id: string; name: string };
  team: { id: string; name: string };
  /** Newest activity first; `lastEventAt` epoch ms (null: nothing streamed yet). */
  versions: { id: string; name: string; lastEventAt: number | null }[];
}

/** Every model of the workspace (or those of `modelIds`) with its project, team and versions, in (project, name) order. */
export async function overviewModels(q: Executor, organizationId: string, modelIds?: readonly string[]): Promise<OverviewModel[]> {
  const { rows } = await q.query<{
    id: string;
    slug: string;
    name: string;
    task: string | null;
    project_id: string;
    project_name: string;
    team_id: string;
    team_name: string;
    versions: { id: string; name: string; lastEventAt: string | null }[] | null;
  }>(
    `SELECT m.id, m.slug, m.name, m.task, p.id AS project_id, p.name AS project_name, t.id AS team_id, t.name AS team_name,
            (SELECT json_agg(json_build_object('id', v.id, 'name', v.name, 'lastEventAt', s.last_event_at)
                             ORDER BY s.last_event_at DESC NULLS LAST, v.created_at DESC)
             FROM model_versions v LEFT JOIN stream_state s ON s.model_version_id = v.id AND s.organization_id = v.organization_id
             WHERE v.model_id = m.id AND v.organization_id = m.organization_id) AS versions
     FROM models m
     JOIN projects p ON p.id = m.project_id AND p.organization_id = m.organization_id
     JOIN teams t ON t.id = p.team_id AND t.organization_id = m.organization_id
     WHERE m.organization_id = $1 ${modelIds ? 'AND m.id = ANY($2::text[])' : ''}
     ORDER BY p.name, m.name, m.id`,
    modelIds ? [organizationId, [...modelIds]] : [organizationId],
  );
  return rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    name: r.name,
    task: r.task,
    project: { id: r.project_id, name: r.project_name },
    team: { id: r.team_id, name: r.team_name },
    versions: (r.versions ?? []).map((v) => ({ id: v.id, name: v.name, lastEventAt: v.lastEventAt === null ? null : Date.parse(v.lastEventAt) })),
  }));
}

/**
 * Predictions per bucket (buckets start at `from`) of each model of `modelIds`, every version
 * added up: hour and day windows add up; rolling-1h points (a trailing hour each) give the newest
 * in each bucket.
 */
export async function volumeByModel(
  q: Executor,
  s: { organizationId: string; modelIds: readonly string[]; granularity: 'rolling_1h' | 'hour' | 'day'; from: number; to: number; bucketMs: number },
): Promise<Map<string, { t: number; value: number }[]>> {
  const out = new Map<string, { t: number; value: number }[]>();
  if (s.modelIds.length === 0) return out;
  const perVersion = s.granularity === 'rolling_1h' ? '(array_agg(value ORDER BY window_start DESC))[1]' : 'sum(value)';
  const { rows } = await q.query<{ model_id: string; t: number; value: number }>(
    `SELECT model_id, ${EPOCH_MS('t')} AS t, sum(v) AS value FROM (
       SELECT model_id, model_version_id, date_bin(make_interval(secs => $6), window_start, $4) AS t, ${perVersion} AS v
       FROM metric_point
       WHERE organization_id = $1 AND model_id = ANY($2::text[]) AND metric = 'prediction_count' AND granularity = $3
         AND window_start >= $4 AND window_start < $5 AND segment = '' AND column_name = ''
       GROUP BY 1, 2, 3) per_version
     GROUP BY model_id, per_version.t ORDER BY per_version.t`,
    [s.organizationId, [...s.modelIds], s.granularity, new Date(s.from), new Date(s.to), s.bucketMs / 1000],
  );
  for (const r of rows) {
    const list = out.get(r.model_id) ?? [];
    list.push({ t: r.t, value: r.value });
    out.set(r.model_id, list);
  }
  return out;
}

export interface WindowPoint {
  metric: string;
  column: string;
  value: number;
}

/**
 * For each (model, version): the points of `metrics` in its newest hour window that ended by
 * `endedBy` (its newest window at all when none has) — the window a model's status is judged on.
 */
export async function newestHourPoints(
  q: Executor,
  s: { organizationId: string; versions: readonly { modelId: string; versionId: string }[]; metrics: readonly string[]; endedBy: number; since: number },
): Promise<Map<string, { windowStart: number; points: WindowPoint[] }>> {
  const out = new Map<string, { windowStart: number; points: WindowPoint[] }>();
  if (s.versions.length === 0) return out;
  const { rows } = await q.query<{ model_id: string; window_start: number; metric: string; column_name: string; value: number }>(
    `WITH v AS (SELECT * FROM unnest($2::text[], $3::text[]) AS v(model_id, version_id)),
     w AS MATERIALIZED (
       SELECT v.model_id, v.version_id, coalesce(
         (SELECT window_start FROM metric_point p
          WHERE p.organization_id = $1 AND p.model_id = v.model_id AND p.metric = 'prediction_count' AND p.granularity = 'hour'
            AND p.window_start >= $6 AND p.window_start <= $5 AND p.model_version_id = v.version_id AND p.segment = '' AND p.column_name = ''
          ORDER BY p.window_start DESC LIMIT 1),
         (SELECT window_start FROM metric_point p
          WHERE p.organization_id = $1 AND p.model_id = v.model_id AND p.metric = 'prediction_count' AND p.granularity = 'hour'
            AND p.window_start >= $6 AND p.model_version_id = v.version_id AND p.segment = '' AND p.column_name = ''
          ORDER BY p.window_start DESC LIMIT 1)) AS window_start
       FROM v)
     SELECT w.model_id, ${EPOCH_MS('w.window_start')} AS window_start, p.metric, p.column_name, p.value
     FROM w JOIN metric_point p
       ON p.organization_id = $1 AND p.model_id = w.model_id AND p.metric = ANY($4::text[]) AND p.granularity = 'hour'
      AND p.window_start = w.window_start AND p.model_version_id = w.version_id AND p.segment = ''`,
    [s.organizationId, s.versions.map((v) => v.modelId), s.versions.map((v) => v.versionId), [...s.metrics], new Date(s.endedBy - 3_600_000), new Date(s.since)],
  );
  for (const r of rows) {
    let entry = out.get(r.model_id);
    if (!entry) out.set(r.model_id, (entry = { windowStart: r.window_start, points: [] }));
    entry.points.push({ metric: r.metric, column: r.column_name, value: r.value });
  }
  return out;
}

/** Each (model, version)'s day points of `metrics` since `since`, model-level ones (no column), oldest first. */
export async function dailyPoints(
  q: Executor,
  s: { organizationId: string; versions: readonly { modelId: string; versionId: string }[]; metrics: readonly string[]; since: number },
): Promise<Map<string, { metric: string; t: number; value: number }[]>> {
  const out = new Map<string, { metric: string; t: number; value: number }[]>();
  if (s.versions.length === 0) return out;
  const { rows } = await q.query<{ model_id: string; metric: string; window_start: number; value: number }>(
    `SELECT p.model_id, p.metric, ${EPOCH_MS('p.window_start')} AS window_start, p.value
     FROM unnest($2::text[], $3::text[]) AS v(model_id, version_id)
     JOIN metric_point p ON p.organization_id = $1 AND p.model_id = v.model_id AND p.metric = ANY($4::text[]) AND p.granularity = 'day'
      AND p.window_start >= $5 AND p.model_version_id = v.version_id AND p.segment = '' AND p.column_name = ''
     ORDER BY p.window_start`,
    [s.organizationId, s.versions.map((v) => v.modelId), s.versions.map((v) => v.versionId), [...s.metrics], new Date(s.since)],
  );
  for (const r of rows) {
    const list = out.get(r.model_id) ?? [];
    list.push({ metric: r.metric, t: r.window_start, value: r.value });
    out.set(r.model_id, list);
  }
  return out;
}

/** Pending and firing alerts per model, of rules of the given teams. */
export async function activeAlertCounts(
  q: Executor,
  organizationId: string,
  teamIds: readonly string[],
): Promise<Map<string, { firing: number; pending: number; critical: number }>> {
  const out = new Map<string, { firing: number; pending: number; critical: number }>();
  if (teamIds.length === 0) return out;
  const { rows } = await q.query<{ model_id: string; firing: number; pending: number; critical: number }>(
    `SELECT a.model_id, count(*) FILTER (WHERE a.state = 'firing')::int AS firing, count(*) FILTER (WHERE a.state = 'pending')::int AS pending,
            count(*) FILTER (WHERE a.state = 'firing' AND a.severity = 'critical')::int AS critical
     FROM alerts a JOIN alert_rules r ON r.id = a.rule_id AND r.organization_id = a.organization_id
     WHERE a.organization_id = $1 AND a.state IN ('firing', 'pending') AND a.model_id IS NOT NULL AND r.team_id = ANY($2::text[])
     GROUP BY a.model_id`,
    [organizationId, [...teamIds]],
  );
  for (const r of rows) out.set(r.model_id, { firing: r.firing, pending: r.pending, critical: r.critical });
  return out;
}
