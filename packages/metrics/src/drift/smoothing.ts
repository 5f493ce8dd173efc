import { MetricsError } from '../errors.js';

/**
 * How empty bins are treated before divergences (shared/reference/binned_divergences.json):
 * - raw: shares as they are;
 * - eps_1e-4: each zero share becomes 1e-4;
 * - evidently_feel_zeroes (default): each zero becomes min(non-zero)/1e6 when that minimum is
 *   ≤ 1e-4, else 1e-4 (Evidently's get_binned_data(feel_zeroes=True)).
 * Applied to each vector separately, without renormalising.
 */
export type SmoothingRule = 'raw' | 'eps_1e-4' | 'evidently_feel_zeroes';

export const ZERO_BIN_EPSILON = 1e-4;

/** Shares of each bin: counts / total. @throws MetricsError when the total is 0. */
export function proportions(counts: ArrayLike<number>): Float64Array {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]!;
  if (!(total > 0)) throw new MetricsError('cannot take proportions of an empty sample');
  return Float64Array.from(counts as ArrayLike<number>, (c) => c / total);
}

export function smooth(shares: Float64Array, rule: SmoothingRule): Float64Array {
  if (rule === 'raw') return shares;
  let fill = ZERO_BIN_EPSILON;
  if (rule === 'evidently_feel_zeroes') {
    let minNonZero = Infinity;
    for (const v of shares) if (v > 0 && v < minNonZero) minNonZero = v;
    if (minNonZero <= ZERO_BIN_EPSILON) fill = minNonZero / 1e6;
  }
  return shares.map((v) => (v === 0 ? fill : v));
}
