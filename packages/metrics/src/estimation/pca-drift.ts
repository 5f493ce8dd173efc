import { MetricsError } from '../errors.js';
import { fitWithErrors, reconstructionErrors, type PcaColumns, type PcaPipeline } from './pca-reconstruction.js';

/** The PCA pipeline with the reference's chunk errors and the drift thresholds. */
export interface PcaDriftModel {
  pipeline: PcaPipeline;
  chunkSize: number;
  referenceChunkErrors: number[];
  /** mean − 3·std of the reference chunk errors, floored at 0. */
  lower: number;
  /** mean + 3·std of the reference chunk errors. */
  upper: number;
  /** Mean reference row error: the shift of the mergeable sums. */
  shift: number;
}

/**
 * Mergeable sums of a window's row errors, shifted by the model's reference mean error so the
 * sum of squares keeps its precision. Windows merge by adding.
 */
export interface ReconstructionSums {
  rows: number;
  sum: number;
  sumSquares: number;
}

export interface ReconstructionResult {
  rows: number;
  /** Mean row error of the window. */
  error: number;
  /** Sample std (ddof 1) of the row errors / √rows; NaN below two rows. */
  samplingError: number;
  drifted: boolean;
}

/**
 * Fits the pipeline and the thresholds: the reference cut into consecutive chunks of
 * `chunkSize` rows (a last partial chunk dropped), lower/upper = mean ∓ 3·population std of the
 * chunks' mean errors, lower floored at 0.
 * @throws MetricsError when chunkSize is not a positive integer or exceeds the reference.
 */
export function fitPcaDrift(reference: PcaColumns, chunkSize: number): PcaDriftModel {
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new MetricsError(`reference chunk size must be a positive integer, got ${chunkSize}`);
  const { pipeline, errors } = fitWithErrors(reference);
  const chunks = Math.floor(errors.length / chunkSize);
  if (chunks < 1) throw new MetricsError(`reference chunk size ${chunkSize} exceeds the reference's ${errors.length} rows`);
  const referenceChunkErrors: number[] = [];
  for (let k = 0; k < chunks; k++) {
    let sum = 0;
    for (let i = k * chunkSize; i < (k + 1) * chunkSize; i++) sum += errors[i]!;
    referenceChunkErrors.push(sum / chunkSize);
  }
  const mean = referenceChunkErrors.reduce((a, b) => a + b, 0) / chunks;
  const std = Math.sqrt(referenceChunkErrors.reduce((a, b) => a + (b - mean) ** 2, 0) / chunks);
  let total = 0;
  for (const e of errors) total += e;
  return { pipeline, chunkSize, referenceChunkErrors, lower: Math.max(0, mean - 3 * std), upper: mean + 3 * std, shift: total / errors.length };
}

export function reconstructionSums(model: PcaDriftModel, columns: PcaColumns): ReconstructionSums {
  const errors = reconstructionErrors(model.pipeline, columns);
  let sum = 0;
  let sumSquares = 0;
  for (const e of errors) {
    const d = e - model.shift;
    sum += d;
    sumSquares += d * d;
  }
  return { rows: errors.length, sum, sumSquares };
}

export function mergeReconstructionSums(a: ReconstructionSums, b: ReconstructionSums): ReconstructionSums {
  return { rows: a.rows + b.rows, sum: a.sum + b.sum, sumSquares: a.sumSquares + b.sumSquares };
}

/** The window's error, sampling error and verdict from its sums. */
export function reconstructionResult(model: PcaDriftModel, sums: ReconstructionSums): ReconstructionResult {
  const n = sums.rows;
  if (n === 0) throw new MetricsError('multivariate drift: the window has no rows');
  const meanShifted = sums.sum / n;
  const error = model.shift + meanShifted;
  const variance = n > 1 ? Math.max(0, (sums.sumSquares - n * meanShifted * meanShifted) / (n - 1)) : NaN;
  return { rows: n, error, samplingError: Math.sqrt(variance / n), drifted: error < model.lower || error > model.upper };
}

/** Multivariate drift of one current chunk. */
export function pcaDrift(model: PcaDriftModel, current: PcaColumns): ReconstructionResult {
  return reconstructionResult(model, reconstructionSums(model, current));
}
