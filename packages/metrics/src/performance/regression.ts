import { MetricsError } from '../errors.js';
import { quantileLinear } from '../stats/quantile.js';
import type { SortedSample } from '../stats/sample.js';

export interface RegressionMetrics {
  mae: number;
  mse: number;
  rmse: number;
  /** mean(|y − ŷ| / max(|y|, ε)), ε = float64 epsilon: a fraction, as scikit-learn. */
  mape: number;
  /** R² with scikit-learn's force_finite: a constant target gives 1 (perfect) or 0. */
  r2: number;
  /** R² without force_finite (may be −∞ or NaN for a constant target). */
  r2Raw: number;
  medianAbsoluteError: number;
  explainedVariance: number;
  explainedVarianceRaw: number;
  maxError: number;
  /** mean(prediction − target): positive when predictions are too high. */
  meanError: number;
  /** Sample std (ddof 1) of prediction errors and of absolute errors. */
  errorStd: number;
  absErrorStd: number;
}

function forceFinite(numerator: number, denominator: number): number {
  if (denominator !== 0) return numerator === 0 ? 1 : 1 - numerator / denominator;
  return numerator === 0 ? 1 : 0;
}

/**
 * Regression quality (scikit-learn definitions): MAE, MSE, RMSE, MAPE, R², median absolute
 * error, explained variance, max error, and mean error = mean(prediction − target).
 *
 * Reference: https://scikit-learn.org/stable/modules/model_evaluation.html#regression-metrics
 * @throws MetricsError on different lengths, empty input, or a NaN (scikit-learn rejects NaN input).
 */
export function regressionMetrics(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): RegressionMetrics {
  const n = yTrue.length;
  if (n !== yPred.length) throw new MetricsError(`regression: inputs differ in length (${n} vs ${yPred.length})`);
  if (n === 0) throw new MetricsError('regression: inputs are empty');
  let sumAbs = 0;
  let sumSq = 0;
  let sumApe = 0;
  let sumErr = 0;
  let sumTrue = 0;
  let maxError = 0;
  const absErr = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = yTrue[i]!;
    const p = yPred[i]!;
    if (Number.isNaN(t) || Number.isNaN(p)) throw new MetricsError(`regression: input contains NaN at index ${i}`, { index: i });
    const e = p - t;
    const a = Math.abs(e);
    absErr[i] = a;
    sumAbs += a;
    sumSq += e * e;
    sumApe += a / Math.max(Math.abs(t), Number.EPSILON);
    sumErr += e;
    sumTrue += t;
    if (a > maxError) maxError = a;
  }
  const meanTrue = sumTrue / n;
  const meanError = sumErr / n;
  let ssTot = 0;
  let ssErrCentered = 0;
  let ssAbsCentered = 0;
  const mae = sumAbs / n;
  for (let i = 0; i < n; i++) {
    ssTot += (yTrue[i]! - meanTrue) ** 2;
    // sklearn centres y − ŷ; the sign does not change the squared deviations.
    ssErrCentered += (yPred[i]! - yTrue[i]! - meanError) ** 2;
    ssAbsCentered += (absErr[i]! - mae) ** 2;
  }
  const sortedAbs = absErr.slice().sort() as SortedSample;
  const mse = sumSq / n;
  return {
    mae,
    mse,
    rmse: Math.sqrt(mse),
    mape: sumApe / n,
    r2: forceFinite(sumSq, ssTot),
    r2Raw: 1 - sumSq / ssTot,
    medianAbsoluteError: quantileLinear(sortedAbs, 0.5),
    explainedVariance: forceFinite(ssErrCentered / n, ssTot / n),
    explainedVarianceRaw: 1 - ssErrCentered / n / (ssTot / n),
    maxError,
    meanError,
    errorStd: n < 2 ? NaN : Math.sqrt(ssErrCentered / (n - 1)),
    absErrorStd: n < 2 ? NaN : Math.sqrt(ssAbsCentered / (n - 1)),
  };
}
