import { requireSamples, type SortedSample } from '../stats/sample.js';

/**
 * ∫ |F_a(x) − F_b(x)|^p dx over the pooled sample (p = 1 or 2), walking both sorted
 * samples once: scipy.stats._cdf_distance without weights.
 */
export function cdfDistance(a: SortedSample, b: SortedSample, p: 1 | 2): number {
  const { integral } = cdfWalk(a, b, p);
  return p === 1 ? integral : Math.sqrt(integral);
}

/**
 * One merged walk over the distinct pooled values of two sorted samples: the integral
 * ∫ |F_a − F_b|^p dx (not yet rooted for p = 2) and the number of distinct pooled values,
 * so a column needs a single walk for both its Wasserstein distance and its unique count.
 */
export function cdfWalk(a: SortedSample, b: SortedSample, p: 1 | 2): { integral: number; distinct: number } {
  requireSamples(a, b);
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let prev = Math.min(a[0]!, b[0]!);
  let total = 0;
  let distinct = 0;
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    const gap = Math.abs(i / n1 - j / n2);
    total += (p === 1 ? gap : gap * gap) * (v - prev);
    while (i < n1 && a[i] === v) i++;
    while (j < n2 && b[j] === v) j++;
    prev = v;
    distinct++;
  }
  return { integral: total, distinct };
}
