import { MetricsError } from '../errors.js';

export function sameLength(p: ArrayLike<number>, q: ArrayLike<number>): void {
  if (p.length !== q.length) throw new MetricsError(`distribution vectors differ in length (${p.length} vs ${q.length})`);
  if (p.length === 0) throw new MetricsError('distribution vectors are empty');
}

/** v / Σv (as scipy renormalises its inputs). */
export function normalised(v: ArrayLike<number>): Float64Array {
  let total = 0;
  for (let i = 0; i < v.length; i++) total += v[i]!;
  return Float64Array.from(v as ArrayLike<number>, (x) => x / total);
}

/** scipy.special.rel_entr: x·ln(x/y) for x, y > 0; 0 for x = 0, y ≥ 0; +∞ otherwise. */
export function relEntr(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x === 0 && y >= 0) return 0;
  return Infinity;
}
