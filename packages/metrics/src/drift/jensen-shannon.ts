import { normalised, relEntr, sameLength } from './vectors.js';

/**
 * Jensen–Shannon distance (scipy.spatial.distance.jensenshannon): with p', q' renormalised
 * and m = (p' + q')/2, JS = sqrt((KL(p'‖m) + KL(q'‖m)) / 2), natural log by default, or
 * divided by ln(base) inside the root. Bounded by sqrt(ln 2) (natural log) or 1 (base 2).
 *
 * Reference: https://docs.scipy.org/doc/scipy/reference/generated/scipy.spatial.distance.jensenshannon.html
 * @throws MetricsError when the vectors differ in length.
 */
export function jensenShannonDistance(p: ArrayLike<number>, q: ArrayLike<number>, base?: number): number {
  sameLength(p, q);
  const a = normalised(p);
  const b = normalised(q);
  let left = 0;
  let right = 0;
  for (let i = 0; i < a.length; i++) {
    const m = (a[i]! + b[i]!) / 2;
    left += relEntr(a[i]!, m);
    right += relEntr(b[i]!, m);
  }
  // Two nearly equal distributions can sum to a rounding error below zero (-1e-17): that is a
  // distance of 0, not the NaN its square root would be.
  let js = Math.max(0, left + right);
  if (base !== undefined) js /= Math.log(base);
  return Math.sqrt(js / 2);
}
