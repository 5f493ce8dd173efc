import { MetricsError } from '../errors.js';
import { logChoose } from '../stats/distributions.js';

export interface FisherExactResult {
  /** Sample odds ratio (a·d)/(b·c). */
  oddsRatio: number;
  pValue: number;
}

/**
 * Fisher's exact test on the 2×2 table [[a, b], [c, d]], two-sided (scipy.stats.fisher_exact):
 * the probability, under the hypergeometric law with fixed margins, of tables no more likely
 * than the observed one (with scipy's relative tolerance 1e-14 on "no more likely").
 *
 * Reference: https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.fisher_exact.html
 * @throws MetricsError on negative or non-integer counts.
 */
export function fisherExact(table: readonly [readonly [number, number], readonly [number, number]]): FisherExactResult {
  const [[a, b], [c, d]] = table;
  for (const v of [a, b, c, d]) {
    if (!(Number.isInteger(v) && v >= 0)) throw new MetricsError('Fisher exact test needs non-negative integer counts');
  }
  const oddsRatio = b * c === 0 ? (a * d === 0 ? NaN : Infinity) : (a * d) / (b * c);
  const n1 = a + b;
  const n2 = c + d;
  const n = a + c;
  if (n1 === 0 || n2 === 0 || n === 0 || n === n1 + n2) return { oddsRatio, pValue: 1 };
  const logDenom = logChoose(n1 + n2, n);
  const pmf = (x: number): number => Math.exp(logChoose(n1, x) + logChoose(n2, n - x) - logDenom);
  const lo = Math.max(0, n - n2);
  const hi = Math.min(n, n1);
  const pObserved = pmf(a);
  const limit = pObserved * (1 + 1e-14);
  let p = 0;
  for (let x = lo; x <= hi; x++) {
    const px = pmf(x);
    if (px <= limit) p += px;
  }
  return { oddsRatio, pValue: Math.min(1, p) };
}
