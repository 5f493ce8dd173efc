import { MetricName, resolveTimeRange, type ResolvedRange, type TimeRange } from '@vigil/contracts';
import { modelSummary, segmentTotals, type Db } from '@vigil/db';
import { HEADLINE, taskFamily } from './headline.js';
import { modelSeries, pickVersion, rangeFor, type Series } from './series.js';

export interface SegmentRow {
  /** `tag=value` */
  segment: string;
  tag: string;
  value: string;
  predictions: number;
  /** Mean over the range's windows. */
  driftedShare: number | null;
  labelCoverage: number | null;
  headline: number | null;
}

export interface SegmentsView {
  range: ResolvedRange;
  versionId: string | null;
  headline: { metric: string; higherIsBetter: boolean } | null;
  /** Worst first: by the headline metric where segments have it, else by drifted share. */
  rows: SegmentRow[];
  /** The whole population, for comparison. */
  overall: Omit<SegmentRow, 'segment' | 'tag' | 'value'>;
}

const SEGMENT_METRICS = [MetricName.predictionCount, MetricName.driftedColumnsShare, MetricName.labelCoverage, MetricName.f1, MetricName.rmse];

/** The headline metrics of every segment value over the range, worst first. */
export async function segmentsView(db: Db, organizationId: string, req: { modelId: string; versionId?: string; time: TimeRange }, now = Date.now()): Promise<SegmentsView> {
  const range = resolveTimeRange(req.time, now);
  const model = await modelSummary(db.forTenant(organizationId), req.modelId);
  const version = pickVersion(model, req.versionId);
  const empty = { predictions: 0, driftedShare: null, labelCoverage: null, headline: null };
  if (!version) return { range, versionId: null, headline: null, rows: [], overall: empty };
  // Performance and coverage come from hour (or day) windows; rolling points have neither.
  const r = rangeFor(MetricName.f1, range);
  const totals = await segmentTotals(db.pool, { organizationId, modelId: model.id, modelVersionId: version.id, metrics: SEGMENT_METRICS, granularity: r.source, from: r.from, to: r.to });
  const family = taskFamily(model.task, (m) => totals.some((x) => x.metric === m));
  const headline = family ? HEADLINE[family] : null;
  const bySegment = new Map<string, Map<string, { sum: number; avg: number }>>();
  for (const x of totals) {
    const m = bySegment.get(x.segment) ?? new Map();
    m.set(x.metric, x);
    bySegment.set(x.segment, m);
  }
  const rowOf = (m: Map<string, { sum: number; avg: number }> | undefined) => ({
    predictions: m?.get(MetricName.predictionCount)?.sum ?? 0,
    driftedShare: m?.get(MetricName.driftedColumnsShare)?.avg ?? null,
    labelCoverage: m?.get(MetricName.labelCoverage)?.avg ?? null,
    headline: headline ? (m?.get(headline.metric)?.avg ?? null) : null,
  });
  const rows = [...bySegment]
    .filter(([segment]) => segment !== '')
    .map(([segment, m]): SegmentRow => {
      const eq = segment.indexOf('=');
      return { segment, tag: segment.slice(0, eq), value: segment.slice(eq + 1), ...rowOf(m) };
    });
  // Worst first: the lowest F1, the highest RMSE; segments without the metric after those with it.
  const badness = (x: number) => (headline && !headline.higherIsBetter ? x : -x);
  rows.sort((a, b) => {
    if (a.headline !== null && b.headline !== null && a.headline !== b.headline) return badness(b.headline) - badness(a.headline);
    if ((a.headline === null) !== (b.headline === null)) return a.headline === null ? 1 : -1;
    return (b.driftedShare ?? -1) - (a.driftedShare ?? -1) || b.predictions - a.predictions;
  });
  return { range, versionId: version.id, headline, rows, overall: rowOf(bySegment.get('')) };
}

export interface VersionSide {
  id: string;
  name: string;
  predictions: number;
  driftedShare: number | null;
  labelCoverage: number | null;
  headline: number | null;
  missingShare: number | null;
  series: Series[];
}

/** Two versions of a model side by side over the range: totals, and their volume, drift share and headline metric over time. */
export async function compareVersions(db: Db, organizationId: string, req: { modelId: string; a: string; b: string; time: TimeRange }, now = Date.now()) {
  const model = await modelSummary(db.forTenant(organizationId), req.modelId);
  const family = taskFamily(model.task, () => false);
  const sides: VersionSide[] = [];
  let range: ResolvedRange | null = null;
  let headline = family ? HEADLINE[family] : null;
  for (const id of [req.a, req.b]) {
    const v = pickVersion(model, id)!;
    const metrics = [MetricName.predictionCount, MetricName.driftedColumnsShare, MetricName.labelCoverage, MetricName.missingShare, MetricName.f1, MetricName.rmse];
    const result = await modelSeries(db, organizationId, { modelId: model.id, versionId: v.id, time: req.time, metrics }, now);
    range = result.range;
    const values = (metric: string, column = '') => result.series.find((s) => s.metric === metric && s.column === column)?.points.flatMap((p) => (p.value === null ? [] : [p.value])) ?? [];
    const mean = (xs: number[]) => (xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
    headline ??= values(MetricName.f1).length > 0 ? HEADLINE.classification : values(MetricName.rmse).length > 0 ? HEADLINE.regression : null;
    const missing = result.series.filter((s) => s.metric === MetricName.missingShare).flatMap((s) => s.points.flatMap((p) => (p.value === null ? [] : [p.value])));
    sides.push({
      id: v.id,
      name: v.name,
      predictions: values(MetricName.predictionCount).reduce((a, b) => a + b, 0),
      driftedShare: mean(values(MetricName.driftedColumnsShare)),
      labelCoverage: mean(values(MetricName.labelCoverage)),
      headline: headline ? mean(values(headline.metric)) : null,
      missingShare: mean(missing),
      series: result.series.filter((s) => s.column === ''),
    });
  }
  return { range: range!, headline, a: sides[0]!, b: sides[1]! };
}
