import {
  defaultDriftTest,
  runTest,
  TESTS,
  type ColumnDriftOptions,
  type ColumnDriftResult,
  type Counts,
} from '../drift/column-drift.js';
import { jensenShannonDistance } from '../drift/jensen-shannon.js';
import { psi } from '../drift/psi.js';
import { proportions, smooth } from '../drift/smoothing.js';
import { tTestFromMoments } from '../drift/t-test.js';
import { MetricsError } from '../errors.js';
import type { CategoricalProfile, ColumnProfile, NumericalProfile } from '../profile/column-profile.js';
import { categoryShares } from '../profile/profile-summary.js';
import { kolmogorovSf } from '../stats/kolmogorov.js';
import { roundHalfEven, sortSample, type SortedSample } from '../stats/sample.js';
import { WASSERSTEIN_STD_FLOOR } from '../drift/wasserstein.js';

/** Points of the quantile grid used for KS and Wasserstein from quantile sketches. */
const GRID = 1_000;

export interface ProfileDriftResult extends ColumnDriftResult {
  /**
   * 'exact': computed from complete samples (both sides fit in their reservoirs) or from
   * exact counts/moments; 'sketch': from quantile sketches, within their stated rank error.
   */
  basis: 'exact' | 'sketch';
}

/**
 * Drift of one column between two mergeable profiles — the streaming path's counterpart of
 * `computeColumnDrift`, with the same default test selection and thresholds.
 *
 * - Count-based tests (chi-square, z, G, Fisher, PSI, JS, KL, Hellinger, TVD) use exact counts:
 *   category counts, or histogram counts on the reference's own bin edges (`referenceBinEdges`)
 *   with values below/above the reference range as two extra bins.
 * - t-tests use the exact moments.
 * - Tests on raw values (KS, Wasserstein, Anderson–Darling, Cramér–von Mises, Mann–Whitney,
 *   energy) run exactly on the reservoir samples when both reservoirs hold every value;
 *   otherwise KS and Wasserstein are computed from the quantile sketches (error bounded by the
 *   KLL rank error) and the others on the reservoir samples.
 */
export function profileColumnDrift(
  reference: ColumnProfile,
  current: ColumnProfile,
  options: ColumnDriftOptions = {},
): ProfileDriftResult {
  if (reference.kind !== current.kind) {
    throw new MetricsError(`reference is ${reference.kind} but current is ${current.kind}`);
  }
  const smoothing = options.smoothing ?? 'evidently_feel_zeroes';
  const referenceRows = reference.count;
  let counts: Counts;
  let uniqueValues: number;
  let numeric: { ref: NumericalProfile; cur: NumericalProfile } | undefined;
  if (reference.kind === 'numerical') {
    const cur = current as NumericalProfile;
    if (reference.moments.n === 0) throw new MetricsError('reference is empty after removing missing values');
    if (cur.moments.n === 0) throw new MetricsError('current is empty after removing missing values');
    numeric = { ref: reference, cur };
    counts = numericCounts(reference, cur);
    uniqueValues = reference.distinct.clone().merge(cur.distinct).estimate();
  } else {
    const c = categoricalCounts(reference, current as CategoricalProfile);
    if (!c.reference.some((v) => v > 0)) throw new MetricsError('reference is empty after removing missing values');
    if (!c.current.some((v) => v > 0)) throw new MetricsError('current is empty after removing missing values');
    counts = c;
    uniqueValues = reference.distinct.clone().merge(current.distinct).estimate();
  }
  const test = options.test ?? defaultDriftTest(reference.kind, referenceRows, Math.round(uniqueValues), options.smallReferenceRows);
  const spec = TESTS[test];
  if (spec.numericOnly && !numeric) throw new MetricsError(`test '${test}' needs a numerical column`);
  const threshold = options.threshold ?? spec.defaultThreshold;
  const p = proportions(counts.reference);
  const q = proportions(counts.current);

  const complete = numeric !== undefined && isComplete(numeric.ref) && isComplete(numeric.cur);
  const samples = numeric ? { ref: sortSample(numeric.ref.sample.values()), cur: sortSample(numeric.cur.sample.values()) } : undefined;
  let wassersteinNormed: number | undefined;
  if (numeric) {
    wassersteinNormed = complete
      ? exactWassersteinNormed(samples!.ref, samples!.cur, numeric.ref)
      : sketchWasserstein(numeric.ref, numeric.cur) / Math.max(Math.sqrt(numeric.ref.moments.variance), WASSERSTEIN_STD_FLOOR);
  }
  const shared = {
    psi: psi(smooth(p, smoothing), smooth(q, smoothing)),
    jensenShannon: jensenShannonDistance(p, q),
    ...(wassersteinNormed !== undefined ? { wassersteinNormed } : {}),
    uniqueValues: Math.round(uniqueValues),
  };

  let result: { score: number; pValue?: number; statistic?: number };
  let basis: 'exact' | 'sketch' = 'exact';
  if (!spec.numericOnly || complete) {
    result = runTest(test, samples, () => counts, p, q, smoothing, shared);
  } else {
    const ref = numeric!.ref;
    const cur = numeric!.cur;
    switch (test) {
      case 'ks': {
        const d = sketchKsStatistic(ref, cur);
        const n = ref.moments.n;
        const m = cur.moments.n;
        const pValue = Math.min(1, Math.max(0, kolmogorovSf(roundHalfEven((n * m) / (n + m)), d)));
        result = { score: pValue, pValue, statistic: d };
        basis = 'sketch';
        break;
      }
      case 'wasserstein':
        result = { score: wassersteinNormed! };
        basis = 'sketch';
        break;
      case 'wasserstein_raw':
        result = { score: sketchWasserstein(ref, cur) };
        basis = 'sketch';
        break;
      case 't_test':
      case 'welch_t_test': {
        const r = tTestFromMoments(moments(ref), moments(cur), test === 't_test');
        result = { score: r.pValue, pValue: r.pValue, statistic: r.statistic };
        break;
      }
      default:
        // Rank and energy tests on the uniform reservoir samples.
        result = runTest(test, samples, () => counts, p, q, smoothing, shared);
        basis = 'sketch';
    }
  }
  const drifted = spec.scoreKind === 'p_value' ? result.score < threshold : result.score >= threshold;
  return {
    test,
    score: result.score,
    threshold,
    drifted,
    scoreKind: spec.scoreKind,
    ...(result.pValue !== undefined ? { pValue: result.pValue } : {}),
    ...(result.statistic !== undefined ? { statistic: result.statistic } : {}),
    ...shared,
    basis,
  };
}

function isComplete(p: NumericalProfile): boolean {
  return p.moments.n <= p.options.reservoirSize;
}

function moments(p: NumericalProfile) {
  return { mean: p.moments.mean, variance: p.moments.sampleVariance, n: p.moments.n };
}

function exactWassersteinNormed(ref: SortedSample, cur: SortedSample, refProfile: NumericalProfile): number {
  // W1 = ∫|F_ref − F_cur| over the pooled sorted values.
  let i = 0;
  let j = 0;
  let prev = Math.min(ref[0]!, cur[0]!);
  let w = 0;
  while (i < ref.length || j < cur.length) {
    const x = j >= cur.length || (i < ref.length && ref[i]! <= cur[j]!) ? ref[i]! : cur[j]!;
    w += Math.abs(i / ref.length - j / cur.length) * (x - prev);
    while (i < ref.length && ref[i] === x) i++;
    while (j < cur.length && cur[j] === x) j++;
    prev = x;
  }
  return w / Math.max(Math.sqrt(refProfile.moments.variance), WASSERSTEIN_STD_FLOOR);
}

/** W1 = ∫₀¹ |Q_ref(u) − Q_cur(u)| du on a midpoint grid of the sketches' quantile functions. */
function sketchWasserstein(ref: NumericalProfile, cur: NumericalProfile): number {
  let sum = 0;
  for (let k = 0; k < GRID; k++) {
    const u = (k + 0.5) / GRID;
    sum += Math.abs(ref.quantiles.quantile(u) - cur.quantiles.quantile(u));
  }
  return sum / GRID;
}

/** sup |F_ref − F_cur| evaluated at both sketches' quantile grid points. */
function sketchKsStatistic(ref: NumericalProfile, cur: NumericalProfile): number {
  let d = 0;
  for (const sketch of [ref.quantiles, cur.quantiles]) {
    for (let k = 0; k <= GRID; k++) {
      const x = sketch.quantile(k / GRID);
      const diff = Math.abs(ref.quantiles.cdf(x) - cur.quantiles.cdf(x));
      if (diff > d) d = diff;
    }
  }
  return d;
}

/**
 * Counts on the reference's bin edges: [below, bins…, above] for both sides. When the current
 * profile was built on other edges (the reference changed), its counts are estimated from its
 * quantile sketch. Bins empty on both sides are dropped.
 */
function numericCounts(ref: NumericalProfile, cur: NumericalProfile): Counts {
  const h = ref.histogram;
  let r: number[];
  let c: number[];
  if (h) {
    r = [h.below, ...h.counts, h.above];
    if (cur.histogram && cur.histogram.sameEdges(h)) {
      c = [cur.histogram.below, ...cur.histogram.counts, cur.histogram.above];
    } else {
      c = countsFromSketch(cur, h.edges);
    }
  } else {
    // No reference edges: deciles of the reference.
    const edges = Float64Array.from({ length: 11 }, (_, i) => ref.quantiles.quantile(i / 10));
    r = countsFromSketch(ref, edges);
    c = countsFromSketch(cur, edges);
  }
  const keep = r.map((v, i) => v > 0 || c[i]! > 0);
  return {
    reference: Float64Array.from(r.filter((_, i) => keep[i])),
    current: Float64Array.from(c.filter((_, i) => keep[i])),
  };
}

function countsFromSketch(p: NumericalProfile, edges: Float64Array): number[] {
  const n = p.moments.n;
  const k = p.quantiles;
  const out: number[] = [n * k.rank(edges[0]!, false) / Math.max(k.n, 1)];
  for (let i = 0; i + 1 < edges.length; i++) {
    const lo = k.rank(edges[i]!, false);
    const hi = i + 2 === edges.length ? k.rank(edges[i + 1]!, true) : k.rank(edges[i + 1]!, false);
    out.push((n * (hi - lo)) / Math.max(k.n, 1));
  }
  out.push((n * (k.n - k.rank(edges[edges.length - 1]!, true))) / Math.max(k.n, 1));
  return out;
}

/** Category counts over the union of both sides' categories (+ an "other" bin when not exact). */
function categoricalCounts(ref: CategoricalProfile, cur: CategoricalProfile): Counts {
  const a = categoryShares(ref);
  const b = categoryShares(cur);
  const names = new Map<string, number>();
  for (const s of [...a.categories, ...b.categories]) if (!names.has(s.category)) names.set(s.category, names.size);
  const withOther = !a.exact || !b.exact;
  const r = new Float64Array(names.size + (withOther ? 1 : 0));
  const c = new Float64Array(r.length);
  for (const s of a.categories) r[names.get(s.category)!] = s.count;
  for (const s of b.categories) c[names.get(s.category)!] = s.count;
  if (withOther) {
    r[names.size] = ref.categories.total - a.categories.reduce((t, s) => t + s.count, 0);
    c[names.size] = cur.categories.total - b.categories.reduce((t, s) => t + s.count, 0);
  }
  return { reference: r, current: c };
}
