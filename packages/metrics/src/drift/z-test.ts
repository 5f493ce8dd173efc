import { MetricsError } from '../errors.js';
import { normalSf } from '../stats/distributions.js';

export interface ZTestResult {
  statistic: number;
  pValue: number;
}

/**
 * Two-proportion z-test with pooled variance, two-sided (statsmodels proportions_ztest,
 * prop_var=False): p₁ = x_ref/n_ref, p₂ = x_cur/n_cur, P = (x_ref + x_cur)/(n_ref + n_cur),
 * z = (p₁ − p₂)/sqrt(P(1−P)(1/n_ref + 1/n_cur)), p = 2·Φ(−|z|). Equal proportions of 0 or 1
 * in both samples give z = 0, p = 1.
 *
 * Reference: https://www.statsmodels.org/stable/generated/statsmodels.stats.proportion.proportions_ztest.html
 * @throws MetricsError when a sample is empty.
 */
export function twoProportionZTest(successRef: number, nRef: number, successCur: number, nCur: number): ZTestResult {
  if (!(nRef > 0 && nCur > 0)) throw new MetricsError('z-test needs non-empty reference and current samples');
  const p1 = successRef / nRef;
  const p2 = successCur / nCur;
  const pooled = (successRef + successCur) / (nRef + nCur);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / nRef + 1 / nCur));
  if (se === 0) return { statistic: 0, pValue: 1 };
  const statistic = (p1 - p2) / se;
  return { statistic, pValue: 2 * normalSf(Math.abs(statistic)) };
}
