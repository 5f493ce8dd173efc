import { normalised, sameLength } from './vectors.js';

/**
 * Total variation distance TVD = ½ Σ |p'_i − q'_i| with p', q' renormalised to sum 1.
 *
 * Reference: https://en.wikipedia.org/wiki/Total_variation_distance_of_probability_measures
 * @throws MetricsError when the vectors differ in length.
 */
export function totalVariation(p: ArrayLike<number>, q: ArrayLike<number>): number {
  sameLength(p, q);
  const a = normalised(p);
  const b = normalised(q);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
  return 0.5 * s;
}
