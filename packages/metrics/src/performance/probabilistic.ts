import { MetricsError } from '../errors.js';
import { checkLabels, sameLength, uniqueLabels, type Label } from './labels.js';
import { checkProbabilityRows } from './roc-auc.js';

const EPS = Number.EPSILON;

function labelIndex(yTrue: readonly Label[], labels: readonly Label[]): number[] {
  const index = new Map(labels.map((l, i) => [l, i]));
  return yTrue.map((v, i) => {
    const j = index.get(v);
    if (j === undefined) throw new MetricsError('y_true contains a label missing from labels', { index: i });
    return j;
  });
}

/**
 * Log loss (sklearn.metrics.log_loss): −mean ln p(true label), probabilities clipped to
 * [ε, 1 − ε] with ε = float64 machine epsilon. `probabilities[i][j]` is the probability of
 * labels[j] (default: sorted labels of y_true).
 * @throws MetricsError on shape mismatch, rows not summing to 1, or an unknown label.
 */
export function logLoss(yTrue: readonly Label[], probabilities: readonly ArrayLike<number>[], labels?: readonly Label[]): number {
  sameLength(yTrue, probabilities, 'log_loss');
  checkLabels(yTrue, 'y_true');
  const labs = labels ?? uniqueLabels(yTrue);
  checkProbabilityRows(probabilities, labs.length);
  const idx = labelIndex(yTrue, labs);
  let total = 0;
  for (let i = 0; i < idx.length; i++) {
    const p = Math.min(Math.max(probabilities[i]![idx[i]!]!, EPS), 1 - EPS);
    total -= Math.log(p);
  }
  return total / idx.length;
}

/**
 * Binary log loss from positive-class probabilities, as log_loss(y_true, p, labels=[neg, pos]).
 * @throws MetricsError as logLoss, or when a probability lies outside [0, 1].
 */
export function binaryLogLoss(yTrue: readonly Label[], positiveProbability: ArrayLike<number>, labels: readonly [Label, Label]): number {
  sameLength(yTrue, positiveProbability, 'log_loss');
  const rows = Array.from(positiveProbability, (p, i) => {
    if (!(p >= 0 && p <= 1)) throw new MetricsError(`probability ${i} lies outside [0, 1]`, { index: i });
    return [1 - p, p];
  });
  return logLoss(yTrue, rows, labels);
}

/**
 * Brier score: mean over rows of Σ_k (P[row, k] − onehot[row, k])² (scikit-learn ≥ 1.7,
 * not divided by the number of classes; for two classes pass [1 − p, p] rows and halve, or
 * use binaryBrierScore).
 * @throws MetricsError on shape mismatch or an unknown label.
 */
export function brierScore(yTrue: readonly Label[], probabilities: readonly ArrayLike<number>[], labels: readonly Label[]): number {
  sameLength(yTrue, probabilities, 'brier_score');
  checkLabels(yTrue, 'y_true');
  checkProbabilityRows(probabilities, labels.length);
  const idx = labelIndex(yTrue, labels);
  let total = 0;
  for (let i = 0; i < idx.length; i++) {
    const row = probabilities[i]!;
    for (let k = 0; k < labels.length; k++) total += (row[k]! - (k === idx[i] ? 1 : 0)) ** 2;
  }
  return total / idx.length;
}

/** Binary Brier score mean((p − y)²) with y = 1 for the positive label. */
export function binaryBrierScore(yTrue: readonly Label[], positiveProbability: ArrayLike<number>, positiveLabel: Label): number {
  sameLength(yTrue, positiveProbability, 'brier_score');
  checkLabels(yTrue, 'y_true');
  let total = 0;
  for (let i = 0; i < yTrue.length; i++) total += (positiveProbability[i]! - (yTrue[i] === positiveLabel ? 1 : 0)) ** 2;
  return total / yTrue.length;
}
