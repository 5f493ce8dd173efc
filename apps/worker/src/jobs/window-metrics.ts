import { MetricName, type Granularity } from '@vigil/contracts';
import type { MetricPointInput } from '@vigil/db';
import {
  benjaminiHochberg,
  DEFAULT_DRIFT_SHARE,
  profileColumnDrift,
  profileColumnQuality,
  resolveColumnOptions,
  validCount,
  type ColumnProfile,
  type ProfileDriftResult,
} from '@vigil/metrics';
import { columnKey, type ModelContext } from './model-context.js';

export interface WindowRef {
  modelVersionId: string;
  granularity: Granularity;
  windowStart: Date;
  segment: string;
}

/** Roles whose columns are monitored for quality and drift (labels are ground truth). */
const MONITORED = new Set(['feature', 'prediction', 'score']);

/** The fields every metric point of one window shares. */
export function windowPointBase(ctx: ModelContext, w: WindowRef) {
  return {
    organizationId: ctx.organizationId,
    projectId: ctx.projectId,
    modelId: ctx.modelId,
    modelVersionId: w.modelVersionId,
    granularity: w.granularity,
    windowStart: w.windowStart,
    segment: w.segment,
  };
}

/**
 * Every data-quality and drift metric of one window, from its merged column profiles
 * (keyed `role:name`), against the model's reference. Dataset drift counts feature columns.
 */
export function metricsFromProfiles(ctx: ModelContext, w: WindowRef, profiles: Map<string, ColumnProfile>): MetricPointInput[] {
  const points: MetricPointInput[] = [];
  const base = windowPointBase(ctx, w);
  const point = (metric: string, value: number, columnName = '', details?: unknown) =>
    points.push({ ...base, metric, value, columnName, ...(details !== undefined ? { details } : {}) });

  const prediction = profiles.get('prediction:prediction');
  if (prediction) point(MetricName.predictionCount, prediction.count);
  const label = profiles.get('label:label');
  if (label) point(MetricName.labelCount, validCount(label));

  const drifts: { column: string; role: string; result: ProfileDriftResult }[] = [];
  for (const col of ctx.columns) {
    if (!MONITORED.has(col.role)) continue;
    const key = columnKey(col);
    const cur = profiles.get(key);
    if (!cur || cur.count === 0) continue;
    const ref = ctx.reference?.profiles.get(key);
    const name = col.role === 'feature' ? col.name : key;
    const q = profileColumnQuality(cur, ref);
    point(MetricName.missingShare, q.missingShare, name);
    point(MetricName.typeMismatchShare, q.typeMismatchShare, name);
    point(MetricName.distinctCount, q.distinct, name);
    if (ref) {
      point(MetricName.outOfRangeShare, q.outOfRangeShare, name);
      point(MetricName.newCategoryShare, q.newCategoryShare, name);
    }
    if (cur.kind === 'numerical') {
      point(MetricName.mean, q.mean, name);
      point(MetricName.std, q.std, name);
      point(MetricName.min, q.min, name);
      point(MetricName.max, q.max, name);
      point(MetricName.p50, q.p50, name);
      point(MetricName.p95, q.p95, name);
    }
    if (!ref || ref.kind !== cur.kind) continue;
    try {
      const result = profileColumnDrift(ref, cur, resolveColumnOptions({ name, kind: cur.kind }, ctx.drift));
      drifts.push({ column: name, role: col.role, result });
    } catch {
      // A side with no valid values has no drift to report for this window.
    }
  }

  // Optional false-discovery-rate control across the window's p-value tests.
  const adjusted = new Map<number, number>();
  if (ctx.drift.falseDiscoveryRate === 'benjamini-hochberg') {
    const idx = drifts.map((d, i) => (d.result.scoreKind === 'p_value' ? i : -1)).filter((i) => i >= 0);
    const bh = benjaminiHochberg(idx.map((i) => drifts[i]!.result.score));
    idx.forEach((i, k) => adjusted.set(i, bh[k]!));
  }
  let features = 0;
  let drifted = 0;
  drifts.forEach(({ column, role, result }, i) => {
    const score = adjusted.get(i) ?? result.score;
    const isDrifted = adjusted.has(i) ? score < result.threshold : result.drifted;
    const details = {
      test: result.test,
      threshold: result.threshold,
      scoreKind: result.scoreKind,
      basis: result.basis,
      ...(result.pValue !== undefined ? { pValue: result.pValue } : {}),
      ...(result.statistic !== undefined ? { statistic: result.statistic } : {}),
      ...(adjusted.has(i) ? { pValueAdjusted: score } : {}),
    };
    point(MetricName.driftScore, score, column, details);
    point(MetricName.driftDetected, isDrifted ? 1 : 0, column, details);
    point(MetricName.psi, result.psi, column);
    point(MetricName.jensenShannon, result.jensenShannon, column);
    if (result.wassersteinNormed !== undefined) point(MetricName.wassersteinNormed, result.wassersteinNormed, column);
    if (role === 'feature') {
      features++;
      if (isDrifted) drifted++;
    }
  });
  if (features > 0) {
    const share = drifted / features;
    const driftShare = ctx.drift.driftShare ?? DEFAULT_DRIFT_SHARE;
    point(MetricName.driftedColumnsShare, share, '', { driftedColumns: drifted, columns: features, driftShare });
    point(MetricName.datasetDrift, share >= driftShare ? 1 : 0, '', { driftedColumns: drifted, columns: features, driftShare });
  }
  return points;
}
