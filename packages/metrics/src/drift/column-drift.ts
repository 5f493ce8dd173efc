import { MetricsError } from '../errors.js';
import { andersonDarling } from './anderson-darling.js';
import { binSamples, type BinnedCounts, type BinningScheme } from './binning.js';
import { alignTallies, tallyCategories, type Category, type CategoryCountTable, type CategoryTally } from './categories.js';
import { chiSquareContingency, chiSquareGoodnessOfFit, gTest } from './chi-square.js';
import { cramerVonMises } from './cramer-von-mises.js';
import { energyDistance } from './energy-distance.js';
import { fisherExact } from './fisher-exact.js';
import { hellinger } from './hellinger.js';
import { jensenShannonDistance } from './jensen-shannon.js';
import { klDivergence } from './kl-divergence.js';
import { ks2samp } from './ks-2samp.js';
import { mannWhitneyU } from './mann-whitney.js';
import { psi } from './psi.js';
import { proportions, smooth, type SmoothingRule } from './smoothing.js';
import { totalVariation } from './total-variation.js';
import { tTest } from './t-test.js';
import { cdfWalk } from './cdf-distance.js';
import { normaliseWasserstein } from './wasserstein.js';
import { twoProportionZTest } from './z-test.js';
import { sortSample, type SortedSample } from '../stats/sample.js';

export type { ColumnKind } from '@vigil/contracts';
import { DRIFT_TEST_NAMES, type ColumnKind } from '@vigil/contracts';

/** Names of the available drift tests (Evidently's stattest names where one exists). */
export const DRIFT_TESTS = DRIFT_TEST_NAMES;
export type DriftTestName = (typeof DRIFT_TESTS)[number];

/** p-value tests flag drift when p < threshold; distance tests when score ≥ threshold. */
export type ScoreKind = 'p_value' | 'distance';

export interface TestSpec {
  scoreKind: ScoreKind;
  defaultThreshold: number;
  /** Whether it needs raw numeric values (vs counts per bin/category). */
  numericOnly: boolean;
}

export const TESTS: Record<DriftTestName, TestSpec> = {
  ks: { scoreKind: 'p_value', defaultThreshold: 0.05, numericOnly: true },
  chisquare: { scoreKind: 'p_value', defaultThreshold: 0.05, numericOnly: false },
  z: { scoreKind: 'p_value', defaultThreshold: 0.05, numericOnly: false },
  wasserstein: { scoreKind: 'distance', defaultThreshold: 0.1, numericOnly: true },
  wasserstein_raw: { scoreKind: 'distance', defaultThreshold: 0.1, numericOnly: true },
  jensenshannon: { scoreKind: 'distance', defaultThreshold: 0.1, numericOnly: false },
  psi: { scoreKind: 'distance', defaultThreshold: 0.1, numericOnly: false },
  kl_div: { scoreKind: 'distance', defaultThreshold: 0.1, numericOnly: false },
  hellinger: { scoreKind: 'distance', defaultThreshold: 0.1, numericOnly: false },
  tvd: { scoreKind: 'distance', defaultThreshold: 0.1, numericOnly: false },
  anderson: { scoreKind: 'p_value', defaultThreshold: 0.05, numericOnly: true },
  cramer_von_mises: { scoreKind: 'p_value', defaultThreshold: 0.05, numericOnly: true },
  mannw: { scoreKind: 'p_value', defaultThreshold: 0.05, numericOnly: true },
  energy_distance: { scoreKind: 'distance', defaultThreshold: 0.1, numericOnly: true },
  t_test: { scoreKind: 'p_value', defaultThreshold: 0.05, numericOnly: true },
  welch_t_test: { scoreKind: 'p_value', defaultThreshold: 0.05, numericOnly: true },
  fisher_exact: { scoreKind: 'p_value', defaultThreshold: 0.05, numericOnly: false },
  g_test: { scoreKind: 'p_value', defaultThreshold: 0.05, numericOnly: false },
  chi2_contingency: { scoreKind: 'p_value', defaultThreshold: 0.05, numericOnly: false },
};

export function driftTestScoreKind(test: DriftTestName): ScoreKind {
  return TESTS[test].scoreKind;
}

/** A test choice with an optional custom threshold. */
export interface DriftTestChoice {
  test?: DriftTestName;
  threshold?: number;
}

export interface ColumnDriftOptions extends DriftTestChoice {
  /** Binning of numerical columns for binned tests (default 'evidently_default'). */
  binning?: BinningScheme;
  /** Zero-bin rule for PSI and KL (default 'evidently_feel_zeroes'); JS, Hellinger and TVD use raw shares. */
  smoothing?: SmoothingRule;
  /** Reference size up to which the small-sample defaults apply (default 1,000 rows). */
  smallReferenceRows?: number;
}

export interface ColumnDriftResult {
  test: DriftTestName;
  /** p-value for p-value tests, distance otherwise. */
  score: number;
  threshold: number;
  drifted: boolean;
  scoreKind: ScoreKind;
  pValue?: number;
  statistic?: number;
  /** Always reported alongside the selected test (DESIGN §5). */
  psi: number;
  jensenShannon: number;
  wassersteinNormed?: number;
  uniqueValues: number;
}

/** A numerical column with missing values (NaN) dropped and sorted once; reusable across windows and metrics. */
export interface PreparedNumeric {
  readonly sorted: SortedSample;
  /** Rows in the column including missing values. */
  readonly rows: number;
}

export function prepareNumeric(values: ArrayLike<number>): PreparedNumeric {
  return { sorted: sortSample(values), rows: values.length };
}

/** A categorical column reduced to its category counts; reusable across windows and metrics. */
export interface PreparedCategorical {
  readonly tally: CategoryTally;
  /** Rows in the column including missing values. */
  readonly rows: number;
}

export function prepareCategorical(values: readonly (Category | boolean)[]): PreparedCategorical {
  return { tally: tallyCategories(values.map(categoryOf)), rows: values.length };
}

export type NumericInput = ArrayLike<number> | PreparedNumeric;
export type CategoricalInput = readonly (Category | boolean)[] | PreparedCategorical;
export type ColumnInput = NumericInput | CategoricalInput;

function isPreparedNumeric(x: ColumnInput): x is PreparedNumeric {
  return typeof x === 'object' && 'sorted' in x && 'rows' in x;
}

function isPreparedCategorical(x: ColumnInput): x is PreparedCategorical {
  return typeof x === 'object' && 'tally' in x && 'rows' in x;
}

function asNumeric(x: ColumnInput, what: string): PreparedNumeric {
  if (isPreparedNumeric(x)) return x;
  if (isPreparedCategorical(x)) throw new MetricsError(`${what}: a numerical column needs numbers (NaN for missing)`);
  for (let i = 0; i < Math.min(x.length, 1); i++) {
    if (typeof x[i] !== 'number') throw new MetricsError(`${what}: a numerical column needs numbers (NaN for missing)`);
  }
  return prepareNumeric(x as ArrayLike<number>);
}

function categoryOf(v: Category | boolean | number | undefined): Category {
  if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return null;
  return String(v);
}

function asCategories(x: ColumnInput, what: string): PreparedCategorical {
  if (isPreparedCategorical(x)) return x;
  if (isPreparedNumeric(x)) throw new MetricsError(`${what}: a categorical column needs strings or booleans (null for missing)`);
  const values = x as ArrayLike<Category | boolean | number>;
  return { tally: tallyCategories(Array.from(values, categoryOf)), rows: values.length };
}

/**
 * The default test (DESIGN.md §5, Evidently's size-aware rule). "rows" = reference rows
 * (missing included), "unique" = distinct non-missing values over both samples.
 * Reference ≤ 1,000 rows: numerical > 5 unique → KS; numerical 3–5 unique or categorical
 * > 2 unique → chi-square; ≤ 2 unique → z-test. Larger reference: numerical > 5 unique →
 * normed Wasserstein; otherwise Jensen–Shannon.
 */
export function defaultDriftTest(kind: ColumnKind, referenceRows: number, uniqueValues: number, smallReferenceRows = 1000): DriftTestName {
  const numerical = kind === 'numerical';
  if (referenceRows <= smallReferenceRows) {
    if (numerical && uniqueValues > 5) return 'ks';
    if (uniqueValues > 2) return 'chisquare';
    return 'z';
  }
  return numerical && uniqueValues > 5 ? 'wasserstein' : 'jensenshannon';
}

export interface Counts {
  reference: Float64Array;
  current: Float64Array;
}

/**
 * Drift of one column: runs the chosen (or default) test and reports its score against the
 * threshold, plus PSI, Jensen–Shannon and (numerical) normed Wasserstein.
 * Numerical inputs are numbers with NaN for missing (a Float64Array is fastest) or a
 * PreparedNumeric; categorical/boolean inputs are strings/booleans with null for missing.
 * @throws MetricsError on an empty sample after removing missing values, a numeric-only
 * test on a categorical column, or a test that needs exactly two categories.
 */
export function computeColumnDrift(
  reference: ColumnInput,
  current: ColumnInput,
  kind: ColumnKind,
  options: ColumnDriftOptions = {},
): ColumnDriftResult {
  return analyseColumnDrift(reference, current, kind, options).result;
}

/** The drift result with the counts it was computed on: report bins (numerical) or categories. */
export interface ColumnDriftAnalysis {
  result: ColumnDriftResult;
  bins: BinnedCounts | CategoryCountTable;
  /** Shares of the reference and current samples over `bins`, before smoothing. */
  referenceShares: Float64Array;
  currentShares: Float64Array;
}

/** computeColumnDrift, also returning the bins and shares it used (for reports and charts). */
export function analyseColumnDrift(
  reference: ColumnInput,
  current: ColumnInput,
  kind: ColumnKind,
  options: ColumnDriftOptions = {},
): ColumnDriftAnalysis {
  const smoothing = options.smoothing ?? 'evidently_feel_zeroes';
  let counts: BinnedCounts | CategoryCountTable;
  let uniqueValues: number;
  let referenceRows: number;
  let numeric: { ref: SortedSample; cur: SortedSample } | undefined;
  let wasserstein: { distance: number; normed: number } | undefined;
  let distinctValueCounts: () => Counts;
  if (kind === 'numerical') {
    const ref = asNumeric(reference, 'reference');
    const cur = asNumeric(current, 'current');
    if (ref.sorted.length === 0) throw new MetricsError('reference is empty after removing missing values');
    if (cur.sorted.length === 0) throw new MetricsError('current is empty after removing missing values');
    numeric = { ref: ref.sorted, cur: cur.sorted };
    referenceRows = ref.rows;
    // One merged walk gives the unique count (for test selection) and the W1 distance.
    const walk = cdfWalk(ref.sorted, cur.sorted, 1);
    uniqueValues = walk.distinct;
    wasserstein = normaliseWasserstein(walk.integral, ref.sorted);
    counts = binSamples(ref.sorted, cur.sorted, options.binning ?? 'evidently_default');
    // Count-based tests (chi-square, z, Fisher, G) always bin as Evidently does: one bin per value up to 20 values.
    distinctValueCounts = () =>
      (options.binning ?? 'evidently_default') === 'evidently_default' ? counts : binSamples(ref.sorted, cur.sorted, 'evidently_default');
  } else {
    const ref = asCategories(reference, 'reference');
    const cur = asCategories(current, 'current');
    const c = alignTallies(ref.tally, cur.tally);
    if (!c.reference.some((v) => v > 0)) throw new MetricsError('reference is empty after removing missing values');
    if (!c.current.some((v) => v > 0)) throw new MetricsError('current is empty after removing missing values');
    counts = c;
    distinctValueCounts = () => c;
    referenceRows = ref.rows;
    uniqueValues = c.categories.length;
  }

  const test = options.test ?? defaultDriftTest(kind, referenceRows, uniqueValues, options.smallReferenceRows);
  const spec = TESTS[test];
  if (spec.numericOnly && !numeric) throw new MetricsError(`test '${test}' needs a numerical column`);
  const threshold = options.threshold ?? spec.defaultThreshold;
  const p = proportions(counts.reference);
  const q = proportions(counts.current);
  const shared = {
    psi: psi(smooth(p, smoothing), smooth(q, smoothing)),
    jensenShannon: jensenShannonDistance(p, q),
    ...(wasserstein ? { wassersteinNormed: wasserstein.normed } : {}),
    uniqueValues,
  };

  const { score, pValue, statistic } = runTest(test, numeric, distinctValueCounts, p, q, smoothing, {
    ...shared,
    ...(wasserstein ? { wassersteinRaw: wasserstein.distance } : {}),
  });
  const drifted = spec.scoreKind === 'p_value' ? score < threshold : score >= threshold;
  const result: ColumnDriftResult = {
    test,
    score,
    threshold,
    drifted,
    scoreKind: spec.scoreKind,
    ...(pValue !== undefined ? { pValue } : {}),
    ...(statistic !== undefined ? { statistic } : {}),
    ...shared,
  };
  return { result, bins: counts, referenceShares: p, currentShares: q };
}

/** Runs one test; count-based tests ignore `numeric`. Shared with profile-based (streaming) drift. */
export function runTest(
  test: DriftTestName,
  numeric: { ref: SortedSample; cur: SortedSample } | undefined,
  distinctValueCounts: () => Counts,
  p: Float64Array,
  q: Float64Array,
  smoothing: SmoothingRule,
  shared: { psi: number; jensenShannon: number; wassersteinNormed?: number; wassersteinRaw?: number },
): { score: number; pValue?: number; statistic?: number } {
  const pv = (r: { statistic: number; pValue: number }): { score: number; pValue: number; statistic: number } => ({
    score: r.pValue,
    pValue: r.pValue,
    statistic: r.statistic,
  });
  const twoCategories = (): Counts => {
    const c = distinctValueCounts();
    if (c.reference.length > 2) throw new MetricsError(`test '${test}' needs at most two distinct values`);
    return c;
  };
  // Numeric-only tests are guarded by the caller.
  const num = numeric as { ref: SortedSample; cur: SortedSample };
  switch (test) {
    case 'ks':
      return pv(ks2samp(num.ref, num.cur));
    case 'anderson':
      return pv(andersonDarling(num.ref, num.cur));
    case 'cramer_von_mises':
      return pv(cramerVonMises(num.ref, num.cur));
    case 'mannw':
      return pv(mannWhitneyU(num.ref, num.cur));
    case 't_test':
      return pv(tTest(num.ref, num.cur, true));
    case 'welch_t_test':
      return pv(tTest(num.ref, num.cur, false));
    case 'wasserstein':
      return { score: shared.wassersteinNormed as number };
    case 'wasserstein_raw':
      return { score: shared.wassersteinRaw as number };
    case 'energy_distance':
      return { score: energyDistance(num.ref, num.cur) };
    case 'chisquare': {
      const c = distinctValueCounts();
      return pv(chiSquareGoodnessOfFit(c.reference, c.current));
    }
    case 'g_test': {
      const c = distinctValueCounts();
      return pv(gTest(c.reference, c.current));
    }
    case 'chi2_contingency': {
      const c = distinctValueCounts();
      return pv(chiSquareContingency(c.reference, c.current));
    }
    case 'z': {
      const c = twoCategories();
      const nRef = c.reference.reduce((s, v) => s + v, 0);
      const nCur = c.current.reduce((s, v) => s + v, 0);
      return pv(twoProportionZTest(c.reference[0]!, nRef, c.current[0]!, nCur));
    }
    case 'fisher_exact': {
      const c = twoCategories();
      const r = fisherExact([
        [c.reference[0]!, c.reference[1] ?? 0],
        [c.current[0]!, c.current[1] ?? 0],
      ]);
      return { score: r.pValue, pValue: r.pValue, statistic: r.oddsRatio };
    }
    case 'jensenshannon':
      return { score: shared.jensenShannon };
    case 'psi':
      return { score: shared.psi };
    case 'kl_div':
      return { score: klDivergence(smooth(p, smoothing), smooth(q, smoothing)) };
    case 'hellinger':
      return { score: hellinger(p, q) };
    case 'tvd':
      return { score: totalVariation(p, q) };
  }
}
