import { sameLength } from './vectors.js';

/**
 * Population Stability Index: PSI = Σ (q_i − p_i)·ln(q_i / p_i), p = reference shares,
 * q = current shares (after smoothing). A bin empty in both contributes 0; a bin empty in
 * exactly one gives Infinity.
 *
 * Reference: https://www.lexjansen.com/wuss/2017/47_Final_Paper_PDF.pdf (Yurdakul & Naranjo)
 * @throws MetricsError when the vectors differ in length.
 */
export function psi(p: ArrayLike<number>, q: ArrayLike<number>): number {
  sameLength(p, q);
  let total = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i]!;
    const b = q[i]!;
    if (a === 0 && b === 0) continue;
    if (a === 0 || b === 0) return Infinity;
    total += (b - a) * Math.log(b / a);
  }
  return total;
}
