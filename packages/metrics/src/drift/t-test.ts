import { MetricsError } from '../errors.js';
import { studentTwoSidedP } from '../stats/distributions.js';
import { mean, variance } from '../stats/sample.js';

export interface TTestResult {
  statistic: number;
  pValue: number;
  df: number;
}

/**
 * Two-sample t-test of equal means, two-sided (scipy.stats.ttest_ind).
 * Student (equalVar): t = (x̄₁ − x̄₂) / sqrt(s_p²(1/n₁ + 1/n₂)), df = n₁ + n₂ − 2.
 * Welch: t = (x̄₁ − x̄₂) / sqrt(s₁²/n₁ + s₂²/n₂), Welch–Satterthwaite df.
 * Variances use ddof = 1. A zero denominator gives NaN (as scipy).
 *
 * Reference: https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.ttest_ind.html
 * @throws MetricsError when a sample has fewer than 2 values.
 */
export function tTest(reference: ArrayLike<number>, current: ArrayLike<number>, equalVar: boolean): TTestResult {
  const n1 = reference.length;
  const n2 = current.length;
  if (n1 < 2 || n2 < 2) throw new MetricsError('t-test needs at least 2 values in each sample');
  const m1 = mean(reference);
  const m2 = mean(current);
  return tTestFromMoments({ mean: m1, variance: variance(reference, 1, m1), n: n1 }, { mean: m2, variance: variance(current, 1, m2), n: n2 }, equalVar);
}

export interface SampleMoments {
  mean: number;
  /** Sample variance (ddof = 1). */
  variance: number;
  n: number;
}

/** The same test from each sample's mean, variance (ddof 1) and size, e.g. from mergeable profiles. */
export function tTestFromMoments(a: SampleMoments, b: SampleMoments, equalVar: boolean): TTestResult {
  const { mean: m1, variance: v1, n: n1 } = a;
  const { mean: m2, variance: v2, n: n2 } = b;
  if (n1 < 2 || n2 < 2) throw new MetricsError('t-test needs at least 2 values in each sample');
  let df: number;
  let se: number;
  if (equalVar) {
    df = n1 + n2 - 2;
    const sp = ((n1 - 1) * v1 + (n2 - 1) * v2) / df;
    se = Math.sqrt(sp * (1 / n1 + 1 / n2));
  } else {
    const a = v1 / n1;
    const b = v2 / n2;
    df = (a + b) ** 2 / (a ** 2 / (n1 - 1) + b ** 2 / (n2 - 1));
    se = Math.sqrt(a + b);
  }
  const statistic = (m1 - m2) / se;
  return { statistic, pValue: studentTwoSidedP(statistic, df), df };
}
