import { MetricsError } from '../errors.js';

/** What the sampling errors of binary CBPE need from the labelled reference. */
export interface SamplingComponents {
  /** Reference rows. */
  rows: number;
  /** Population std of [y_true == ŷ]. */
  accuracySd: number;
  /** Population std of 1 per TP row, 0 per FP and FN row. */
  f1Sd: number;
  /** Share of reference rows that are TP, FP or FN. */
  f1Fraction: number;
}

function populationStd(ones: number, n: number): number {
  if (n === 0) return NaN;
  const mean = ones / n;
  // A 0/1 variable: variance = mean·(1 − mean); computed as the mean of squared deviations.
  return Math.sqrt((ones * (1 - mean) ** 2 + (n - ones) * mean ** 2) / n);
}

/**
 * The reference's sampling-error components for a binary classifier with labels 0/1.
 * @throws MetricsError on empty or mismatched input.
 */
export function samplingComponents(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): SamplingComponents {
  const n = yTrue.length;
  if (yPred.length !== n) throw new MetricsError(`sampling error: labels and predictions differ in length (${n} vs ${yPred.length})`);
  if (n === 0) throw new MetricsError('sampling error: the reference is empty');
  let correct = 0;
  let tp = 0;
  let errors = 0;
  for (let i = 0; i < n; i++) {
    const t = yTrue[i]!;
    const p = yPred[i]!;
    if (t === p) correct++;
    if (t === 1 && p === 1) tp++;
    else if (t !== p) errors++;
  }
  const f1Rows = tp + errors;
  return { rows: n, accuracySd: populationStd(correct, n), f1Sd: populationStd(tp, f1Rows), f1Fraction: f1Rows / n };
}

/** Accuracy sampling error of a chunk of `rows`: sd / √rows. */
export function accuracySamplingError(c: SamplingComponents, rows: number): number {
  return c.accuracySd / Math.sqrt(rows);
}

/** F1 sampling error of a chunk of `rows`: sd / √(rows · fraction). */
export function f1SamplingError(c: SamplingComponents, rows: number): number {
  return c.f1Sd / Math.sqrt(rows * c.f1Fraction);
}

export interface BandedValue {
  value: number;
  samplingError: number;
  lower: number;
  upper: number;
}

/** estimate ± 3 SE, clipped to [0, 1]. */
export function estimateBand(value: number, samplingError: number): BandedValue {
  return {
    value,
    samplingError,
    lower: Math.min(1, Math.max(0, value - 3 * samplingError)),
    upper: Math.min(1, Math.max(0, value + 3 * samplingError)),
  };
}
