import { MetricName, resolveTimeRange, type ResolvedRange, type TimeRange } from '@vigil/contracts';
import { columnProfilesInRange, latestPoints, modelSummary, referenceProfile, selectedReadyReference, type Db } from '@vigil/db';
import {
  categoryShares,
  deserializeDatasetProfile,
  deserializeProfile,
  histogramShares,
  mergeProfiles,
  profileCdf,
  profileMax,
  profileMean,
  profileMin,
  profileQuantile,
  profileStd,
  validCount,
  type ColumnProfile,
} from '@vigil/metrics';
import { columnRef, isFeatureColumn } from './columns.js';
import { modelSeries, pickVersion, type SeriesPoint } from './series.js';

export interface DriftRow {
  column: string;
  role: string;
  test: string | null;
  scoreKind: 'p_value' | 'distance' | null;
  threshold: number | null;
  score: number;
  drifted: boolean;
  windowStart: number;
  /** How far past (or short of) its threshold the score is: > 1 is drifted, for p-values and distances alike. */
  severity: number;
  sparkline: SeriesPoint[];
}

export interface DriftTable {
  range: ResolvedRange;
  versionId: string | null;
  /** Features first (drifted ones first, most severe first), then prediction and score columns. */
  rows: DriftRow[];
  datasetShare: SeriesPoint[];
}

interface DriftDetails {
  test?: string;
  threshold?: number;
  scoreKind?: 'p_value' | 'distance';
}

/** Each column's newest drift verdict in the range, with its score over the range. */
export async function driftTable(db: Db, organizationId: string, req: { modelId: string; versionId?: string; time: TimeRange }, now = Date.now()): Promise<DriftTable> {
  const range = resolveTimeRange(req.time, now);
  const model = await modelSummary(db.forTenant(organizationId), req.modelId);
  const version = pickVersion(model, req.versionId);
  if (!version) return { range, versionId: null, rows: [], datasetShare: [] };
  const [latest, series] = await Promise.all([
    latestPoints(db.pool, {
      organizationId,
      modelId: model.id,
      modelVersionId: version.id,
      metrics: [MetricName.driftScore, MetricName.driftDetected],
      segment: '',
      granularity: range.source,
      from: range.from,
      to: range.to,
    }),
    modelSeries(db, organizationId, { modelId: model.id, versionId: version.id, time: req.time, metrics: [MetricName.driftScore, MetricName.driftedColumnsShare] }, now),
  ]);
  const detected = new Map(latest.filter((p) => p.metric === MetricName.driftDetected).map((p) => [p.column, p.value >= 1]));
  const sparklines = new Map(series.series.filter((s) => s.metric === MetricName.driftScore).map((s) => [s.column, s.points]));
  const rows = latest
    .filter((p) => p.metric === MetricName.driftScore)
    .map((p): DriftRow => {
      const d = (p.details ?? {}) as DriftDetails;
      const threshold = typeof d.threshold === 'number' ? d.threshold : null;
      const scoreKind = d.scoreKind ?? null;
      const severity = threshold === null || threshold === 0 ? 0 : scoreKind === 'p_value' ? (p.value === 0 ? Infinity : threshold / p.value) : p.value / threshold;
      return {
        column: p.column,
        role: columnRef(p.column).role,
        test: d.test ?? null,
        scoreKind,
        threshold,
        score: p.value,
        drifted: detected.get(p.column) ?? false,
        windowStart: p.windowStart,
        severity,
        sparkline: sparklines.get(p.column) ?? [],
      };
    })
    .sort(
      (a, b) =>
        Number(isFeatureColumn(b.column)) - Number(isFeatureColumn(a.column)) ||
        Number(b.drifted) - Number(a.drifted) ||
        b.severity - a.severity ||
        a.column.localeCompare(b.column),
    );
  const datasetShare = series.series.find((s) => s.metric === MetricName.driftedColumnsShare)?.points ?? [];
  return { range, versionId: version.id, rows, datasetShare };
}

export interface NumericSide {
  rows: number;
  missing: number;
  /** Share of valid values per bin, below the first edge and above the last. */
  shares: number[];
  below: number;
  above: number;
  stats: { mean: number | null; std: number | null; min: number | null; p50: number | null; max: number | null };
}

export interface CategoricalSide {
  rows: number;
  missing: number;
  /** Share of valid values per listed category (those of `categories`), and of the rest. */
  shares: number[];
  other: number;
}

export type ColumnDistribution =
  | { kind: 'numerical'; column: string; edges: number[]; reference: NumericSide | null; current: NumericSide | null; binsFrom: 'reference' | 'current' }
  | { kind: 'categorical'; column: string; categories: string[]; reference: CategoricalSide | null; current: CategoricalSide | null };

/** Most bins and categories a distribution chart shows. */
const BINS = 20;
const CATEGORIES = 15;

const finite = (x: number) => (Number.isFinite(x) ? x : null);

/**
 * A column's distribution over the range against the reference's, from stored profiles: the
 * window's hour (or, past 8 days, day) profiles merged. Numerical columns share the reference's
 * bin edges (the current profiles were made on them); without a reference, 20 bins over the
 * current range from its quantile sketch.
 */
export async function columnDistribution(
  db: Db,
  organizationId: string,
  req: { modelId: string; versionId?: string; time: TimeRange; column: string },
  now = Date.now(),
): Promise<ColumnDistribution | null> {
  const range = resolveTimeRange(req.time, now);
  const t = db.forTenant(organizationId);
  const model = await modelSummary(t, req.modelId);
  const version = pickVersion(model, req.versionId);
  const { role, name } = columnRef(req.column);
  const key = `${role}:${name}`;
  let current: ColumnProfile | null = null;
  if (version) {
    const stored = await columnProfilesInRange(db.pool, {
      organizationId,
      modelVersionId: version.id,
      role,
      name,
      granularity: range.to - range.from > 8 * 86_400_000 ? 'day' : 'hour',
      from: new Date(range.from),
      to: new Date(range.to),
    });
    for (const s of stored) {
      const p = deserializeProfile(s.profile);
      // Kinds differ across a kind override: the newest profiles win.
      current = current && current.kind === p.kind ? mergeIdenticalEdges(current, p) : p;
    }
  }
  const selected = await selectedReadyReference(t, model.id, model.referenceConfig);
  const refProfile = selected ? deserializeDatasetProfile(await referenceProfile(t, selected.id)).columns.get(key) ?? null : null;
  const reference = refProfile && current && refProfile.kind !== current.kind ? null : refProfile;
  const kind = (current ?? reference)?.kind;
  if (!kind) return null;
  if (kind === 'numerical') return numerical(req.column, reference, current);
  return categorical(req.column, reference, current);
}

/** Merges profiles made on the same histogram edges; across a reference change, the histograms are dropped. */
function mergeIdenticalEdges(a: ColumnProfile, b: ColumnProfile): ColumnProfile {
  try {
    return mergeProfiles(a, b);
  } catch {
    return b;
  }
}

function numerical(column: string, reference: ColumnProfile | null, current: ColumnProfile | null): ColumnDistribution {
  const refHist = reference ? histogramShares(reference) : null;
  const curHist = current ? histogramShares(current) : null;
  const sameEdges = refHist && curHist && refHist.edges.length === curHist.edges.length && refHist.edges.every((e, i) => e === curHist.edges[i]);
  let edges: number[];
  let binsFrom: 'reference' | 'current';
  if (refHist) {
    edges = Array.from(refHist.edges);
    binsFrom = 'reference';
  } else {
    const base = current!;
    const lo = profileMin(base);
    const hi = profileMax(base);
    edges = Number.isFinite(lo) && Number.isFinite(hi) && hi > lo ? Array.from({ length: BINS + 1 }, (_, i) => lo + ((hi - lo) * i) / BINS) : [lo, lo + 1];
    binsFrom = 'current';
  }
  const side = (p: ColumnProfile | null, exact: ReturnType<typeof histogramShares>): NumericSide | null => {
    if (!p) return null;
    const valid = validCount(p);
    let shares: number[];
    let below: number;
    let above: number;
    if (exact) {
      shares = Array.from(exact.shares, (s) => (Number.isFinite(s) ? s : 0));
      below = finite(exact.belowShare) ?? 0;
      above = finite(exact.aboveShare) ?? 0;
    } else {
      // From the quantile sketch: the share of values between consecutive edges.
      const cdf = edges.map((e) => profileCdf(p, e));
      shares = edges.slice(1).map((_, i) => Math.max(0, (cdf[i + 1] ?? 0) - (cdf[i] ?? 0)));
      below = Math.max(0, cdf[0] ?? 0);
      above = Math.max(0, 1 - (cdf.at(-1) ?? 1));
    }
    return {
      rows: p.count,
      missing: p.missing,
      shares: valid > 0 ? shares : shares.map(() => 0),
      below,
      above,
      stats: { mean: finite(profileMean(p)), std: finite(profileStd(p)), min: finite(profileMin(p)), p50: finite(profileQuantile(p, 0.5)), max: finite(profileMax(p)) },
    };
  };
  return {
    kind: 'numerical',
    column,
    edges,
    binsFrom,
    reference: side(reference, refHist),
    current: side(current, binsFrom === 'reference' && sameEdges ? curHist : null),
  };
}

function categorical(column: string, reference: ColumnProfile | null, current: ColumnProfile | null): ColumnDistribution {
  const ref = reference ? categoryShares(reference) : null;
  const cur = current ? categoryShares(current) : null;
  // The categories that matter on either side, the largest first.
  const weight = new Map<string, number>();
  for (const s of [ref, cur]) for (const c of s?.categories ?? []) weight.set(c.category, Math.max(weight.get(c.category) ?? 0, c.share));
  const categories = [...weight].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, CATEGORIES).map(([c]) => c);
  const side = (p: ColumnProfile | null, s: ReturnType<typeof categoryShares> | null): CategoricalSide | null => {
    if (!p || !s) return null;
    const by = new Map(s.categories.map((c) => [c.category, c.share]));
    const shares = categories.map((c) => by.get(c) ?? 0);
    return { rows: p.count, missing: p.missing, shares, other: Math.max(0, 1 - shares.reduce((a, b) => a + b, 0)) };
  };
  return { kind: 'categorical', column, categories, reference: side(reference, ref), current: side(current, cur) };
}
