import { kolmogorovSf } from '../stats/kolmogorov.js';
import { gcd, requireSamples, roundHalfEven, type SortedSample } from '../stats/sample.js';

export type KsMethod = 'auto' | 'exact' | 'asymp';

export interface KsResult {
  statistic: number;
  pValue: number;
  /** The value at which the two empirical CDFs are farthest apart. */
  statisticLocation: number;
  /** +1 when the reference ECDF is above the current one there, −1 otherwise. */
  statisticSign: 1 | -1;
  method: 'exact' | 'asymp';
}

/** Above this sample size 'auto' uses the asymptotic distribution (scipy's MAX_AUTO_N). */
const MAX_AUTO_N = 10_000;

/**
 * Two-sample Kolmogorov–Smirnov test, two-sided: D = sup_x |F_ref(x) − F_cur(x)|.
 * p-value as scipy.stats.ks_2samp(method='auto') (scipy 1.17): exact when
 * max(n1, n2) ≤ 10,000 (lattice-path counting, Hodges 1958 with Viehmann's 1−p
 * recursion), falling back to asymptotic if the exact computation fails; asymptotic is
 * kstwo.sf(D, round(n1·n2/(n1+n2))).
 *
 * Reference: https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.ks_2samp.html
 * @throws MetricsError when either sample is empty.
 */
export function ks2samp(reference: SortedSample, current: SortedSample, method: KsMethod = 'auto'): KsResult {
  requireSamples(reference, current);
  const n1 = reference.length;
  const n2 = current.length;
  const { d: rawD, location, sign } = ksStatistic(reference, current);
  let d = rawD;
  let resolved: 'exact' | 'asymp' = method === 'auto' ? (Math.max(n1, n2) <= MAX_AUTO_N ? 'exact' : 'asymp') : method;
  const g = gcd(n1, n2);
  if (resolved === 'exact' && n1 / g >= 2147483647 / (n2 / g)) resolved = 'asymp';
  let p = NaN;
  if (resolved === 'exact') {
    const lcm = (n1 / g) * n2;
    const h = roundHalfEven(d * lcm);
    d = h / lcm;
    p = h === 0 ? 1 : n1 === n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h);
    if (!(p >= 0 && p <= 1)) resolved = 'asymp';
  }
  if (resolved === 'asymp') {
    const m = Math.max(n1, n2);
    const n = Math.min(n1, n2);
    p = kolmogorovSf(roundHalfEven((m * n) / (m + n)), d);
  }
  return { statistic: d, pValue: Math.min(1, Math.max(0, p)), statisticLocation: location, statisticSign: sign, method: resolved };
}

/**
 * The largest ECDF gap and where it occurs, evaluated (as scipy does) at every pooled
 * point in the order reference-then-current, the first maximum winning.
 */
function ksStatistic(a: SortedSample, b: SortedSample): { d: number; location: number; sign: 1 | -1 } {
  const n1 = a.length;
  const n2 = b.length;
  let maxS = -Infinity;
  let maxLoc = NaN;
  let minS = Infinity;
  let minLoc = NaN;
  const scan = (x: SortedSample): void => {
    let ia = 0;
    let ib = 0;
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      while (ia < n1 && a[ia]! <= v) ia++;
      while (ib < n2 && b[ib]! <= v) ib++;
      const diff = ia / n1 - ib / n2;
      if (diff > maxS) {
        maxS = diff;
        maxLoc = v;
      }
      if (diff < minS) {
        minS = diff;
        minLoc = v;
      }
    }
  };
  scan(a);
  scan(b);
  const minAbs = Math.min(1, Math.max(0, -minS));
  return minAbs > maxS ? { d: minAbs, location: minLoc, sign: -1 } : { d: maxS, location: maxLoc, sign: 1 };
}

/** P(D_{n,n} ≥ h/n) by the alternating series of binomial ratios, Horner-style. */
function probOutsideSquare(n: number, h: number): number {
  let P = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    P = p1 * (1 - P);
  }
  return 2 * P;
}

/**
 * Share of lattice paths from (0,0) to (m,n) leaving the band |x/m − y/n| < h/lcm,
 * computed directly as 1 − p (Viehmann 2021, arXiv:2102.08037) on a sliding window.
 */
function outerProbInside(m0: number, n0: number, g: number, h: number): number {
  const m = Math.max(m0, n0);
  const n = Math.min(m0, n0);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(lenA).fill(1);
  A.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + minj - lastminj]! * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return A[maxj - minj - 1]!;
}
