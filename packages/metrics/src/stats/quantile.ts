import type { SortedSample } from './sample.js';

/**
 * numpy.quantile(x, q, method='linear') on a sorted sample: virtual index (n−1)·q and
 * numpy's two-sided lerp (computed from the upper neighbour when the fraction is ≥ 0.5).
 * NaN for an empty sample.
 */
export function quantileLinear(sorted: SortedSample, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const virtual = (n - 1) * q;
  const lo = Math.min(Math.max(Math.floor(virtual), 0), n - 1);
  const hi = Math.min(lo + 1, n - 1);
  const t = virtual - lo;
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}
