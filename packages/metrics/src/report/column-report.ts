import { searchSorted, type BinnedCounts } from '../drift/binning.js';
import type { CategoryCountTable } from '../drift/categories.js';
import { analyseColumnDrift, prepareNumeric, type ColumnDriftAnalysis, type PreparedCategorical, type PreparedNumeric } from '../drift/column-drift.js';
import { hellinger } from '../drift/hellinger.js';
import type { SortedSample } from '../stats/sample.js';
import type { ColumnTask } from './plan.js';
import type { ColumnReport, DistributionReport, Num, QualityReport } from './report.types.js';
import { tallyEncoded, toCategorical, toNumeric } from './table.js';

/** NaN and ±Infinity become null, so a report is plain JSON. */
export function num(x: number | undefined): Num {
  return x !== undefined && Number.isFinite(x) ? x : null;
}

function share(part: number, whole: number): Num {
  return whole > 0 ? part / whole : null;
}

/** One column of the report: drift, divergences, current quality and distribution. */
export function computeColumnReport(task: ColumnTask): ColumnReport {
  return task.type === 'numerical' ? numericalColumn(task) : categoricalColumn(task);
}

/** Distinct count, mean and sample std of a sorted sample in two passes. */
function sortedStats(x: SortedSample): { distinct: number; mean: number; std: number } {
  const n = x.length;
  let distinct = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    if (i === 0 || v !== x[i - 1]) distinct++;
    sum += v;
  }
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - mean;
    ss += d * d;
  }
  return { distinct, mean, std: n > 1 ? Math.sqrt(ss / (n - 1)) : NaN };
}

function numericalQuality(ref: PreparedNumeric, cur: PreparedNumeric): QualityReport {
  const x = cur.sorted;
  const n = x.length;
  const stats = n > 0 ? sortedStats(x) : { distinct: 0, mean: NaN, std: NaN };
  const r = ref.sorted;
  let outOfRange: Num = null;
  if (r.length > 0 && n > 0) {
    const below = searchSorted(x, r[0]!, 'left');
    const above = n - searchSorted(x, r[r.length - 1]!, 'right');
    outOfRange = (below + above) / n;
  }
  return {
    missingShare: share(cur.rows - n, cur.rows),
    distinct: stats.distinct,
    min: n > 0 ? x[0]! : null,
    max: n > 0 ? x[n - 1]! : null,
    mean: num(stats.mean),
    std: num(stats.std),
    outOfRangeShare: outOfRange,
    newCategoryShare: null,
  };
}

function numericalColumn(task: ColumnTask): ColumnReport {
  // Each sample is sorted exactly once; drift, divergences, quality and bins all read the sorted copy.
  const ref = prepareNumeric(toNumeric(task.reference, task.name));
  const cur = prepareNumeric(toNumeric(task.current, task.name));
  const quality = numericalQuality(ref, cur);
  if (ref.sorted.length === 0 || cur.sorted.length === 0) return undefinedDrift(task, quality);
  const analysis = analyseColumnDrift(ref, cur, 'numerical', task.drift);
  return withDrift(task, quality, analysis, numericalDistribution(analysis, ref.sorted, cur.sorted, task.distributionCategories));
}

function categoricalColumn(task: ColumnTask): ColumnReport {
  const prepare = (values: ColumnTask['reference']): PreparedCategorical => {
    const encoded = toCategorical(values);
    return { tally: tallyEncoded(encoded), rows: encoded.codes.length };
  };
  const ref = prepare(task.reference);
  const cur = prepare(task.current);
  let present = 0;
  let fresh = 0;
  for (const [category, count] of cur.tally) {
    present += count;
    if (!ref.tally.has(category)) fresh += count;
  }
  const quality: QualityReport = {
    missingShare: share(cur.rows - present, cur.rows),
    distinct: cur.tally.size,
    min: null,
    max: null,
    mean: null,
    std: null,
    outOfRangeShare: null,
    newCategoryShare: share(fresh, present),
  };
  if (ref.tally.size === 0 || cur.tally.size === 0) return undefinedDrift(task, quality);
  const analysis = analyseColumnDrift(ref, cur, 'categorical', task.drift);
  const bins = analysis.bins as CategoryCountTable;
  return withDrift(task, quality, analysis, topCategories(bins.categories, analysis, task.distributionCategories, 'by-count'));
}

function undefinedDrift(task: ColumnTask, quality: QualityReport): ColumnReport {
  return { name: task.name, type: task.type, drift: null, divergences: null, quality, distribution: null };
}

function withDrift(task: ColumnTask, quality: QualityReport, analysis: ColumnDriftAnalysis, distribution: DistributionReport): ColumnReport {
  const d = analysis.result;
  return {
    name: task.name,
    type: task.type,
    drift: { test: d.test, score: num(d.score), threshold: d.threshold, drifted: d.drifted, scoreKind: d.scoreKind },
    divergences: {
      psi: num(d.psi),
      jensenShannon: num(d.jensenShannon),
      wassersteinNormed: num(d.wassersteinNormed),
      hellinger: num(hellinger(analysis.referenceShares, analysis.currentShares)),
    },
    quality,
    distribution,
  };
}

function numericalDistribution(analysis: ColumnDriftAnalysis, ref: SortedSample, cur: SortedSample, limit: number): DistributionReport {
  const bins = analysis.bins as BinnedCounts;
  if (bins.values) {
    return topCategories(Array.from(bins.values, String), analysis, limit, 'in-order');
  }
  let edges = Array.from(bins.edges ?? []);
  if (edges.length === analysis.referenceShares.length - 1) {
    // Inner edges only (open outer bins): close them at the pooled range for drawing.
    edges = [Math.min(ref[0]!, cur[0]!), ...edges, Math.max(ref[ref.length - 1]!, cur[cur.length - 1]!)];
  }
  return { kind: 'histogram', edges, reference: Array.from(analysis.referenceShares), current: Array.from(analysis.currentShares) };
}

/** The `limit` categories with the largest pooled share (kept in their given order for per-value bins), the rest as "other". */
function topCategories(labels: string[], analysis: ColumnDriftAnalysis, limit: number, order: 'by-count' | 'in-order'): DistributionReport {
  const p = analysis.referenceShares;
  const q = analysis.currentShares;
  let keep = labels.map((_, i) => i);
  if (order === 'by-count' || keep.length > limit) keep.sort((a, b) => p[b]! + q[b]! - (p[a]! + q[a]!) || a - b);
  const dropped = keep.slice(limit);
  keep = keep.slice(0, limit);
  if (order === 'in-order') keep.sort((a, b) => a - b);
  let otherRef = 0;
  let otherCur = 0;
  for (const i of dropped) {
    otherRef += p[i]!;
    otherCur += q[i]!;
  }
  return {
    kind: 'categories',
    categories: keep.map((i) => labels[i]!),
    reference: keep.map((i) => p[i]!),
    current: keep.map((i) => q[i]!),
    other: dropped.length > 0 ? { reference: otherRef, current: otherCur } : null,
  };
}
