import { MetricsError } from '../errors.js';

/**
 * The expected confusion matrix of a binary classifier: sums over rows of the calibrated
 * probability p of class 1 split by the model's 0/1 prediction. Every field is a sum, so two
 * windows' matrices merge by adding (mergeExpectedConfusion).
 */
export interface ExpectedConfusion {
  rows: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export function emptyExpectedConfusion(): ExpectedConfusion {
  return { rows: 0, tp: 0, fp: 0, fn: 0, tn: 0 };
}

/** TP = Σ ŷ·p, FP = Σ ŷ·(1−p), FN = Σ (1−ŷ)·p, TN = Σ (1−ŷ)·(1−p). */
export function expectedConfusion(probabilities: ArrayLike<number>, predictions: ArrayLike<number>): ExpectedConfusion {
  const n = probabilities.length;
  if (predictions.length !== n) throw new MetricsError(`expected confusion: probabilities and predictions differ in length (${n} vs ${predictions.length})`);
  const m = emptyExpectedConfusion();
  for (let i = 0; i < n; i++) addExpectedConfusionRow(m, probabilities[i]!, predictions[i]!);
  return m;
}

/** Adds one row (p, ŷ ∈ {0, 1}) to the sums. */
export function addExpectedConfusionRow(m: ExpectedConfusion, p: number, yhat: number): void {
  m.rows++;
  if (yhat === 1) {
    m.tp += p;
    m.fp += 1 - p;
  } else if (yhat === 0) {
    m.fn += p;
    m.tn += 1 - p;
  } else {
    throw new MetricsError(`expected confusion: prediction must be 0 or 1, got ${yhat}`);
  }
}

export function mergeExpectedConfusion(a: ExpectedConfusion, b: ExpectedConfusion): ExpectedConfusion {
  return { rows: a.rows + b.rows, tp: a.tp + b.tp, fp: a.fp + b.fp, fn: a.fn + b.fn, tn: a.tn + b.tn };
}

export interface BinaryRates {
  accuracy: number;
  precision: number;
  recall: number;
  specificity: number;
  f1: number;
}

const ratio = (a: number, b: number): number => (b === 0 ? NaN : a / b);

/** The metrics of a (possibly expected) confusion matrix; 0/0 is NaN. */
export function binaryRates(m: ExpectedConfusion): BinaryRates {
  return {
    accuracy: ratio(m.tp + m.tn, m.rows),
    precision: ratio(m.tp, m.tp + m.fp),
    recall: ratio(m.tp, m.tp + m.fn),
    specificity: ratio(m.tn, m.tn + m.fp),
    f1: ratio(2 * m.tp, 2 * m.tp + m.fp + m.fn),
  };
}
