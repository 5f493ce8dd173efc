import { MetricsError } from '../errors.js';
import { errorAxes, fitPcaRows, forEachReconstructionError, type PcaColumns, type PcaPipeline } from './pca-reconstruction.js';
import { forEachErrorBlock } from './pca-rows.js';

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
  const { pipeline, rows } = fitPcaRows(reference);
  const n = rows.rows;
  const chunks = Math.floor(n / chunkSize);
  if (chunks < 1) throw new MetricsError(`reference chunk size ${chunkSize} exceeds the reference's ${n} rows`);
  // Chunk sums and the total accumulated row by row as the errors stream past (in a typed
  // array: a number captured and reassigned by the closure would be boxed at every row).
  const chunkSums = new Float64Array(chunks);
  const total = new Float64Array(1);
  forEachErrorBlock(rows, errorAxes(pipeline), 0, n, (errors, start, count) => {
    let sum = total[0]!;
    for (let r = 0; r < count; r++) {
      const e = errors[r]!;
      const k = Math.floor((start + r) / chunkSize);
      if (k < chunks) chunkSums[k]! += e;
      sum += e;
    }
    total[0] = sum;
  });
  const referenceChunkErrors = Array.from(chunkSums, (sum) => sum / chunkSize);
  const mean = referenceChunkErrors.reduce((a, b) => a + b, 0) / chunks;
  const std = Math.sqrt(referenceChunkErrors.reduce((a, b) => a + (b - mean) ** 2, 0) / chunks);
  return { pipeline, chunkSize, referenceChunkErrors, lower: Math.max(0, mean - 3 * std), upper: mean + 3 * std, shift: total[0]! / n };
}

export function reconstructionSums(model: PcaDriftModel, columns: PcaColumns): ReconstructionSums {
  // [rows, Σ d, Σ d²] in a typed array, not numbers reassigned inside the closure (boxed per row).
  const acc = new Float64Array(3);
  const shift = model.shift;
  forEachReconstructionError(model.pipeline, columns, (errors, _start, count) => {
    let sum = acc[1]!;
    let sumSquares = acc[2]!;
    for (let r = 0; r < count; r++) {
      const d = errors[r]! - shift;
      sum += d;
      sumSquares += d * d;
    }
    acc[0]! += count;
    acc[1] = sum;
    acc[2] = sumSquares;
  });
  return { rows: acc[0]!, sum: acc[1]!, sumSquares: acc[2]! };
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
