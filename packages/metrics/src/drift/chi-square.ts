import { MetricsError } from '../errors.js';
import { powerDivergence, type ChiSquareResult, type PowerDivergenceLambda } from './power-divergence.js';
import { sameLength } from './vectors.js';

/**
 * Chi-square goodness of fit of the current counts against the reference distribution:
 * expected_i = ref_i · n_cur / n_ref, χ² = Σ (cur_i − expected_i)²/expected_i, dof = k − 1
 * (scipy.stats.chisquare; Evidently's 'chisquare' stattest). A category absent from the
 * reference but present in the current sample gives χ² = Infinity and p = 0.
 * `lambda: 'log-likelihood'` gives the G-test 2 Σ cur_i ln(cur_i/expected_i) instead.
 *
 * Reference: https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.chisquare.html
 * @throws MetricsError when the count vectors differ in length or a sample is empty.
 */
export function chiSquareGoodnessOfFit(
  referenceCounts: ArrayLike<number>,
  currentCounts: ArrayLike<number>,
  lambda: PowerDivergenceLambda = 'pearson',
): ChiSquareResult {
  sameLength(referenceCounts, currentCounts);
  const nRef = sum(referenceCounts);
  const nCur = sum(currentCounts);
  if (!(nRef > 0 && nCur > 0)) throw new MetricsError('chi-square needs non-empty reference and current samples');
  const expected = Float64Array.from(referenceCounts as ArrayLike<number>, (c) => c * (nCur / nRef));
  return powerDivergence(currentCounts, expected, referenceCounts.length - 1, lambda);
}

/** G-test of goodness of fit: chiSquareGoodnessOfFit with the log-likelihood statistic. */
export function gTest(referenceCounts: ArrayLike<number>, currentCounts: ArrayLike<number>): ChiSquareResult {
  return chiSquareGoodnessOfFit(referenceCounts, currentCounts, 'log-likelihood');
}

/**
 * Chi-square test of independence on the 2×k table [reference counts; current counts]
 * (scipy.stats.chi2_contingency): expected = row·col/total, dof = k − 1; with `yates` and
 * dof = 1 each observation moves towards its expectation by min(0.5, |e − o|).
 * `lambda: 'log-likelihood'` gives the G statistic.
 *
 * Reference: https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.chi2_contingency.html
 * @throws MetricsError when an expected frequency is zero (a category empty in both rows).
 */
export function chiSquareContingency(
  referenceCounts: ArrayLike<number>,
  currentCounts: ArrayLike<number>,
  options: { yates?: boolean; lambda?: PowerDivergenceLambda } = {},
): ChiSquareResult & { expected: [Float64Array, Float64Array] } {
  sameLength(referenceCounts, currentCounts);
  const k = referenceCounts.length;
  const rows = [referenceCounts, currentCounts];
  const rowSums = rows.map(sum);
  const total = rowSums[0]! + rowSums[1]!;
  const expected: [Float64Array, Float64Array] = [new Float64Array(k), new Float64Array(k)];
  for (let j = 0; j < k; j++) {
    const col = referenceCounts[j]! + currentCounts[j]!;
    for (let r = 0; r < 2; r++) {
      const e = (rowSums[r]! * col) / total;
      if (!(e > 0)) throw new MetricsError('chi-square contingency has a zero expected frequency', { category: j });
      expected[r]![j] = e;
    }
  }
  const dof = k - 1;
  if (dof === 0) return { statistic: 0, pValue: 1, dof, expected };
  const observed = new Float64Array(2 * k);
  const flatExpected = new Float64Array(2 * k);
  for (let r = 0; r < 2; r++) {
    for (let j = 0; j < k; j++) {
      const o = rows[r]![j]!;
      const e = expected[r]![j]!;
      const shift = options.yates !== false && dof === 1 ? Math.sign(e - o) * Math.min(0.5, Math.abs(e - o)) : 0;
      observed[r * k + j] = o + shift;
      flatExpected[r * k + j] = e;
    }
  }
  return { ...powerDivergence(observed, flatExpected, dof, options.lambda ?? 'pearson'), expected };
}

function sum(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s;
}
