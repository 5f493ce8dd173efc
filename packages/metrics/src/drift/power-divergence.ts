import { chi2Sf } from '../stats/distributions.js';

export type PowerDivergenceLambda = 'pearson' | 'log-likelihood';

export interface ChiSquareResult {
  statistic: number;
  pValue: number;
  dof: number;
}

/**
 * Cressie–Read statistic for λ = 1 (Pearson: Σ (o − e)²/e) or λ = 0 (G: 2 Σ_{o>0} o·ln(o/e)),
 * referred to χ²(dof). An expected count of 0 with a positive observation gives Infinity
 * (p = 0), as scipy.stats.power_divergence.
 */
export function powerDivergence(
  observed: ArrayLike<number>,
  expected: ArrayLike<number>,
  dof: number,
  lambda: PowerDivergenceLambda,
): ChiSquareResult {
  let statistic = 0;
  for (let i = 0; i < observed.length; i++) {
    const o = observed[i]!;
    const e = expected[i]!;
    if (lambda === 'pearson') statistic += ((o - e) * (o - e)) / e;
    else if (o > 0) statistic += 2 * o * Math.log(o / e);
  }
  return { statistic, pValue: chi2Sf(statistic, dof), dof };
}
