import { normalised, sameLength } from './vectors.js';

/**
 * Hellinger distance H = sqrt(max(0, 1 − Σ sqrt(p'_i q'_i))) with p', q' renormalised to sum 1.
 * With `renormalise: false`: sqrt(½ Σ (√p_i − √q_i)²) on the vectors as given.
 *
 * Reference: https://en.wikipedia.org/wiki/Hellinger_distance
 * @throws MetricsError when the vectors differ in length.
 */
export function hellinger(p: ArrayLike<number>, q: ArrayLike<number>, renormalise = true): number {
  sameLength(p, q);
  if (!renormalise) {
    let s = 0;
    for (let i = 0; i < p.length; i++) s += (Math.sqrt(p[i]!) - Math.sqrt(q[i]!)) ** 2;
    return Math.sqrt(0.5 * s);
  }
  const a = normalised(p);
  const b = normalised(q);
  let bc = 0;
  for (let i = 0; i < a.length; i++) bc += Math.sqrt(a[i]! * b[i]!);
  return Math.sqrt(Math.max(0, 1 - bc));
}
