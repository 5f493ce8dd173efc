import gammainc from '@stdlib/math-base-special-gammainc';
import gammaln from '@stdlib/math-base-special-gammaln';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import tCdf from '@stdlib/stats-base-dists-t-cdf';

/** Standard normal survival function P(Z > z), accurate in the upper tail. */
export function normalSf(z: number): number {
  return normalCdf(-z, 0, 1);
}

/** Chi-square survival function P(X > x) via the regularized upper incomplete gamma. */
export function chi2Sf(x: number, df: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return 0;
  if (x <= 0) return 1;
  return gammainc(x / 2, df / 2, true, true);
}

/** Two-sided Student-t p-value 2·P(T > |t|). */
export function studentTwoSidedP(t: number, df: number): number {
  if (Number.isNaN(t)) return NaN;
  return Math.min(1, 2 * tCdf(-Math.abs(t), df));
}

/** ln C(n, k) for non-negative integers. */
export function logChoose(n: number, k: number): number {
  return gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1);
}

export { gammaln };
