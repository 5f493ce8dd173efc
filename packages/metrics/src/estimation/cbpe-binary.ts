import { MetricsError } from '../errors.js';
import { estimatedRocAuc } from './estimated-roc-auc.js';
import { binaryRates, expectedConfusion, type ExpectedConfusion } from './expected-confusion.js';
import { fitIsotonic, type IsotonicCalibrator } from './isotonic.js';
import { sortedBinaryEstimate } from './sorted-estimate.js';
import { accuracySamplingError, estimateBand, f1SamplingError, samplingComponents, type BandedValue, type SamplingComponents } from './sampling-error.js';

/** Labelled reference of a binary classifier: 0/1 labels, 0/1 predictions, positive-class scores in [0, 1]. */
export interface BinaryReference {
  yTrue: ArrayLike<number>;
  yPred: ArrayLike<number>;
  scores: ArrayLike<number>;
}

/** A fitted binary CBPE model (plain JSON): the calibrator and the sampling-error components. */
export interface BinaryCbpeModel {
  task: 'binary';
  calibrator: IsotonicCalibrator;
  sampling: SamplingComponents;
}

/** CBPE estimates of one chunk. Rates are NaN when undefined (0/0). */
export interface BinaryEstimate {
  rows: number;
  confusion: ExpectedConfusion;
  accuracy: BandedValue;
  f1: BandedValue;
  precision: number;
  recall: number;
  specificity: number;
  rocAuc: number;
}

/** @throws MetricsError when a score lies outside [0, 1] or is missing, or a label/prediction is not 0/1. */
export function checkBinaryInputs(scores: ArrayLike<number>, yPred: ArrayLike<number>, what: string, yTrue?: ArrayLike<number>): void {
  if (scores.length !== yPred.length || (yTrue && yTrue.length !== scores.length)) throw new MetricsError(`${what}: columns differ in length`);
  if (scores.length === 0) throw new MetricsError(`${what}: no rows`);
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    if (!(s >= 0 && s <= 1)) throw new MetricsError(`${what}: score at row ${i + 1} is ${Number.isNaN(s) ? 'missing' : s}, outside [0, 1]`);
    if (yPred[i] !== 0 && yPred[i] !== 1) throw new MetricsError(`${what}: prediction at row ${i + 1} is not 0 or 1`);
    if (yTrue && yTrue[i] !== 0 && yTrue[i] !== 1) throw new MetricsError(`${what}: label at row ${i + 1} is not 0 or 1`);
  }
}

/** Fits the calibrator (isotonic, on labels and scores) and the sampling-error components. */
export function fitBinaryCbpe(reference: BinaryReference): BinaryCbpeModel {
  checkBinaryInputs(reference.scores, reference.yPred, 'reference', reference.yTrue);
  return {
    task: 'binary',
    calibrator: fitIsotonic(reference.scores, reference.yTrue),
    sampling: samplingComponents(reference.yTrue, reference.yPred),
  };
}

/**
 * The estimates from probabilities p (calibrated, or raw for the uncalibrated variant), the
 * raw scores (for ROC AUC ordering) and the predictions.
 */
export function estimateFromProbabilities(
  sampling: SamplingComponents,
  probabilities: ArrayLike<number>,
  scores: ArrayLike<number>,
  yPred: ArrayLike<number>,
): BinaryEstimate {
  const confusion = expectedConfusion(probabilities, yPred);
  return finishEstimate(sampling, confusion, estimatedRocAuc(probabilities, scores));
}

/** The estimate from mergeable sums (streaming windows) and an ROC AUC computed elsewhere. */
export function finishEstimate(sampling: SamplingComponents, confusion: ExpectedConfusion, rocAuc: number): BinaryEstimate {
  const r = binaryRates(confusion);
  const n = confusion.rows;
  return {
    rows: n,
    confusion,
    accuracy: estimateBand(r.accuracy, accuracySamplingError(sampling, n)),
    f1: estimateBand(r.f1, f1SamplingError(sampling, n)),
    precision: r.precision,
    recall: r.recall,
    specificity: r.specificity,
    rocAuc,
  };
}

/**
 * CBPE on one chunk without labels: calibrated probabilities, expected confusion matrix,
 * metrics and ±3 SE bands for accuracy and F1.
 */
export function estimateBinary(model: BinaryCbpeModel, chunk: { scores: ArrayLike<number>; yPred: ArrayLike<number> }): BinaryEstimate {
  checkBinaryInputs(chunk.scores, chunk.yPred, 'current');
  const { confusion, rocAuc } = sortedBinaryEstimate(model.calibrator, chunk.scores, chunk.yPred);
  return finishEstimate(model.sampling, confusion, rocAuc);
}
