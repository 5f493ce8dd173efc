import { MetricsError } from '../errors.js';
import { sortFloat64InPlace } from './radix-sort.js';

/** A numeric sample with missing values removed, sorted ascending. */
export type SortedSample = Float64Array & { readonly __sorted: unique symbol };

/**
 * Drops NaN (missing) values and sorts ascending, once per column: every test that needs
 * order statistics (KS, Wasserstein, Anderson–Darling, quantiles, ranks) reuses the result.
 */
export function sortSample(values: ArrayLike<number>): SortedSample {
  const n = values.length;
  const all = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v === v) all[k++] = v;
  }
  // One pass: with missing values the sample is a view on the front of the copy.
  const out = k === n ? all : all.subarray(0, k);
  sortFloat64InPlace(out);
  return out as SortedSample;
}

/** Treats an already sorted, NaN-free array as a SortedSample (checked in O(n)). */
export function assertSorted(values: Float64Array): SortedSample {
  for (let i = 1; i < values.length; i++) {
    if (!(values[i - 1]! <= values[i]!)) throw new MetricsError('sample is not sorted ascending without NaN');
  }
  return values as SortedSample;
}

export function requireNonEmpty(x: ArrayLike<number>, what: string): void {
  if (x.length === 0) throw new MetricsError(`${what} is empty after removing missing values`);
}

/** Both samples of a two-sample test must hold at least one value. */
export function requireSamples(reference: ArrayLike<number>, current: ArrayLike<number>): void {
  requireNonEmpty(reference, 'reference');
  requireNonEmpty(current, 'current');
}

/** Result of a rank-based two-sample test whose p-value is exact for small samples. */
export interface RankTestResult {
  statistic: number;
  pValue: number;
  method: 'exact' | 'asymptotic';
}

export function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s / x.length;
}

/** Variance with `ddof` delta degrees of freedom (numpy's convention), two-pass. */
export function variance(x: ArrayLike<number>, ddof: 0 | 1, m = mean(x)): number {
  let ss = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i]! - m;
    ss += d * d;
  }
  return ss / (x.length - ddof);
}

/** Sum of t³ − t over tie groups of a sorted sample (for tie corrections). */
export function tieTerm(sorted: ArrayLike<number>): number {
  let total = 0;
  let i = 0;
  while (i < sorted.length) {
    let j = i + 1;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    const t = j - i;
    total += t * t * t - t;
    i = j;
  }
  return total;
}

/**
 * Mid-ranks (1-based, ties averaged) of both samples within their pooled sample, as
 * scipy.stats.rankdata(method='average') gives them. Inputs sorted ascending.
 */
export function pooledMidranks(a: SortedSample, b: SortedSample): { ra: Float64Array; rb: Float64Array; tie: number } {
  const ra = new Float64Array(a.length);
  const rb = new Float64Array(b.length);
  let i = 0;
  let j = 0;
  let tie = 0;
  while (i < a.length || j < b.length) {
    const v = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    let ia = i;
    while (ia < a.length && a[ia] === v) ia++;
    let jb = j;
    while (jb < b.length && b[jb] === v) jb++;
    const t = ia - i + (jb - j);
    const rank = i + j + (t + 1) / 2;
    ra.fill(rank, i, ia);
    rb.fill(rank, j, jb);
    tie += t * t * t - t;
    i = ia;
    j = jb;
  }
  return { ra, rb, tie };
}

/** Greatest common divisor of two non-negative integers. */
export function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** numpy.round: halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
