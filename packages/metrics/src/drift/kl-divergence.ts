import { normalised, relEntr, sameLength } from './vectors.js';

/**
 * Kullback–Leibler divergence KL(p‖q) = Σ p'_i ln(p'_i / q'_i) with both vectors first
 * renormalised to sum 1 (scipy.stats.entropy(p, q)); natural log. Infinity when q'_i = 0 < p'_i.
 * With `renormalise: false`, the vectors are used as given (Σ_{p_i>0} p_i ln(p_i/q_i)).
 *
 * Reference: https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.entropy.html
 * @throws MetricsError when the vectors differ in length.
 */
export function klDivergence(p: ArrayLike<number>, q: ArrayLike<number>, renormalise = true): number {
  sameLength(p, q);
  const a = renormalise ? normalised(p) : p;
  const b = renormalise ? normalised(q) : q;
  let total = 0;
  for (let i = 0; i < a.length; i++) total += relEntr(a[i]!, b[i]!);
  return total;
}
