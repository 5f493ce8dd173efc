import { BUCKET_NAMES, BUCKETS, MetricName, resolveTimeRange, type HealthLevel, type ResolvedRange, type TimeRange } from '@vigil/contracts';
import { activeAlertCounts, dailyPoints, newestHourPoints, overviewModels, volumeByModel, type Db, type OverviewModel, type WindowPoint } from '@vigil/db';
import { isFeatureColumn } from './columns.js';
import { modelHealth, type Health } from './health.js';
import { HEADLINE, MIN_LABELS, taskFamily } from './headline.js';

const DAY = 86_400_000;

export interface OverviewRow {
  id: string;
  slug: string;
  name: string;
  task: string | null;
  project: { id: string; name: string };
  team: { id: string; name: string };
  /** The version the row describes: the one that reported last. */
  version: { id: string; name: string } | null;
  versions: number;
  lastEventAt: number | null;
  health: Health;
  /** Predictions per bucket over the range, every version; gaps are 0. */
  /** Predictions per sparkline bucket (`WorkspaceOverview.volumeBucketMs`) from the range's start, gaps as 0. */
  volume: number[];
  /** The newest complete hour's drift, features only. */
  drift: { share: number; driftedColumns: string[]; columns: number; datasetDrift: boolean; windowStart: number } | null;
  /** The headline metric's values on the labelled days of the last 15 (days without labels skipped), newest last. */
  performance: { metric: string; higherIsBetter: boolean; value: number; baseline: number | null; days: number[] } | null;
  labelCoverage: number | null;
  alerts: { firing: number; pending: number };
}

export interface WorkspaceOverview {
  range: ResolvedRange;
  /** Width of a volume sparkline's bucket (a multiple of the range's bucket). */
  volumeBucketMs: number;
  models: OverviewRow[];
  counts: Record<HealthLevel, number>;
}

const STATUS_METRICS = [
  MetricName.driftDetected,
  MetricName.datasetDrift,
  MetricName.missingShare,
  MetricName.outOfRangeShare,
  MetricName.newCategoryShare,
  MetricName.typeMismatchShare,
  MetricName.labelCoverage,
];
const QUALITY_METRICS = new Set<string>([MetricName.missingShare, MetricName.outOfRangeShare, MetricName.newCategoryShare, MetricName.typeMismatchShare]);

/** What a model's status is judged on, and the judgement (shared by the overview and the model page). */
export interface ModelStatus {
  version: { id: string; name: string } | null;
  lastEventAt: number | null;
  health: Health;
  drift: OverviewRow['drift'];
  performance: OverviewRow['performance'];
  labelCoverage: number | null;
  alerts: { firing: number; pending: number };
  /** Null when the model has no task set and no performance point. */
  family: ReturnType<typeof taskFamily>;
}

/** The status of each model: its newest complete hour, its labelled days and its alerts (of rules of `teamIds`). */
export async function modelStatuses(
  db: Db,
  scope: { organizationId: string; teamIds: readonly string[] },
  models: readonly OverviewModel[],
  now: number,
): Promise<Map<string, ModelStatus>> {
  const latest = models.flatMap((m) => (m.versions[0] ? [{ modelId: m.id, versionId: m.versions[0].id }] : []));
  const [hours, days, alerts] = await Promise.all([
    newestHourPoints(db.pool, { organizationId: scope.organizationId, versions: latest, metrics: STATUS_METRICS, endedBy: now, since: now - 7 * DAY }),
    dailyPoints(db.pool, { organizationId: scope.organizationId, versions: latest, metrics: [MetricName.f1, MetricName.rmse, MetricName.labelCoverage, MetricName.labelCount], since: now - 15 * DAY }),
    activeAlertCounts(db.pool, scope.organizationId, scope.teamIds),
  ]);
  const out = new Map<string, ModelStatus>();
  for (const m of models) {
    const version = m.versions[0] ?? null;
    const lastEventAt = m.versions.reduce<number | null>((t, v) => (v.lastEventAt !== null && (t === null || v.lastEventAt > t) ? v.lastEventAt : t), null);
    const hour = hours.get(m.id);
    const drift = hour ? driftOf(hour.points, hour.windowStart) : null;
    const quality = hour ? worstQuality(hour.points) : null;
    const daily = days.get(m.id) ?? [];
    const family = taskFamily(m.task, (metric) => daily.some((d) => d.metric === metric));
    const performance = family ? performanceOf(daily, HEADLINE[family]) : null;
    const coverage = hour?.points.find((p) => p.metric === MetricName.labelCoverage)?.value ?? daily.filter((d) => d.metric === MetricName.labelCoverage).at(-1)?.value ?? null;
    const a = alerts.get(m.id) ?? { firing: 0, pending: 0, critical: 0 };
    out.set(m.id, {
      version: version ? { id: version.id, name: version.name } : null,
      lastEventAt,
      health: modelHealth({ now, lastEventAt, drift, performance, quality, alerts: a }),
      drift,
      performance,
      labelCoverage: coverage,
      alerts: { firing: a.firing, pending: a.pending },
      family,
    });
  }
  return out;
}

/**
 * Every model of the workspace with its health and the numbers its overview row shows. Alerts
 * count only rules of `teamIds` (the teams whose alerting the caller reads).
 */
export async function workspaceOverview(db: Db, scope: { organizationId: string; teamIds: readonly string[] }, time: TimeRange, now = Date.now()): Promise<WorkspaceOverview> {
  const range = resolveTimeRange(time, now);
  const models = await overviewModels(db.pool, scope.organizationId);
  const spark = sparklineRange(range);
  const [volume, statuses] = await Promise.all([
    volumeByModel(db.pool, { organizationId: scope.organizationId, modelIds: models.map((m) => m.id), granularity: spark.source, from: spark.from, to: spark.to, bucketMs: spark.bucketMs }),
    modelStatuses(db, scope, models, now),
  ]);
  const rows = models.map((m): OverviewRow => {
    const { family, ...status } = statuses.get(m.id)!;
    return {
      id: m.id,
      slug: m.slug,
      name: m.name,
      task: m.task ?? (family === 'regression' ? 'regression' : null),
      project: m.project,
      team: m.team,
      versions: m.versions.length,
      ...status,
      volume: fillGaps(volume.get(m.id) ?? [], spark).map((p) => p.value),
    };
  });
  const counts: Record<HealthLevel, number> = { critical: 0, warning: 0, nodata: 0, ok: 0 };
  for (const r of rows) counts[r.health.level]++;
  return { range, volumeBucketMs: spark.bucketMs, models: rows, counts };
}

function driftOf(points: WindowPoint[], windowStart: number): OverviewRow['drift'] {
  const features = points.filter((p) => p.metric === MetricName.driftDetected && isFeatureColumn(p.column));
  if (features.length === 0) return null;
  const drifted = features.filter((p) => p.value >= 1).map((p) => p.column).sort();
  const datasetDrift = points.some((p) => p.metric === MetricName.datasetDrift && p.value >= 1);
  return { share: drifted.length / features.length, driftedColumns: drifted, columns: features.length, datasetDrift, windowStart };
}

function worstQuality(points: WindowPoint[]): { metric: string; column: string; value: number } | null {
  let worst: { metric: string; column: string; value: number } | null = null;
  for (const p of points) if (QUALITY_METRICS.has(p.metric) && (!worst || p.value > worst.value)) worst = { metric: p.metric, column: p.column, value: p.value };
  return worst;
}

/**
 * The newest day of the headline metric against the mean of the (up to 7) days before it; days
 * with fewer than MIN_LABELS labels are left out (provisional).
 */
function performanceOf(daily: { metric: string; t: number; value: number }[], headline: { metric: string; higherIsBetter: boolean }): OverviewRow['performance'] {
  const labelled = new Set(daily.filter((d) => d.metric === MetricName.labelCount && d.value >= MIN_LABELS).map((d) => d.t));
  const days = daily.filter((d) => d.metric === headline.metric && labelled.has(d.t)).map((d) => ({ t: d.t, value: d.value }));
  const last = days.at(-1);
  if (!last) return null;
  const before = days.slice(-8, -1);
  const baseline = before.length > 0 ? before.reduce((s, d) => s + d.value, 0) / before.length : null;
  return { ...headline, value: last.value, baseline, days: days.map((d) => d.value) };
}

/** Points a row's volume sparkline holds at most: a 90-pixel line needs no more. */
const SPARKLINE_POINTS = 48;

/**
 * The range in the coarsest-needed buckets for a sparkline: the first bucket size (a whole
 * multiple of the range's) that gives at most SPARKLINE_POINTS points, read from the
 * granularity that size is built from — 30 days are 31 day points rather than 180 sums of hour
 * points (the day windows hold the same counts). Rolling-hour points are trailing counts, not
 * additive, so a finer range moves to hour windows.
 */
function sparklineRange(range: ResolvedRange): ResolvedRange {
  const span = range.to - range.from;
  if (range.source !== 'rolling_1h' && span / range.bucketMs <= SPARKLINE_POINTS) return range;
  for (const name of BUCKET_NAMES) {
    const { ms, source } = BUCKETS[name];
    if (source === 'rolling_1h' || ms < range.bucketMs || ms % range.bucketMs !== 0 || span / ms > SPARKLINE_POINTS) continue;
    return { ...range, bucket: name, bucketMs: ms, source, from: Math.floor(range.from / ms) * ms, to: Math.ceil(range.to / ms) * ms };
  }
  const factor = Math.ceil(span / range.bucketMs / SPARKLINE_POINTS);
  return { ...range, bucketMs: range.bucketMs * factor };
}

/** One point per bucket of the range, 0 where nothing was counted. */
export function fillGaps(points: { t: number; value: number }[], range: ResolvedRange): { t: number; value: number }[] {
  const at = new Map(points.map((p) => [p.t, p.value]));
  const out: { t: number; value: number }[] = [];
  for (let t = range.from; t < range.to; t += range.bucketMs) out.push({ t, value: at.get(t) ?? 0 });
  return out;
}
