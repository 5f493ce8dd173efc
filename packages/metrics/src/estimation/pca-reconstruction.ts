import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { MetricsError } from '../errors.js';
import { scratchInt32 } from '../stats/scratch.js';
import { encodeCategories, toCategorical, type ColumnValues, type EncodedCategories } from '../report/table.js';
import { errorAxesOf, forEachErrorBlock, gramMatrix, type ErrorAxes, type StandardisedRows } from './pca-rows.js';

/** Cumulative explained-variance ratio the kept components must reach. */
export const PCA_EXPLAINED_VARIANCE = 0.65;

/** Columns of a table for the PCA pipeline: numbers with NaN = missing, and categories. */
export interface PcaColumns {
  numerical: readonly ArrayLike<number>[];
  categorical: readonly ColumnValues[];
}

export interface NumericalEncoding {
  /** Imputation value: the reference mean. */
  fill: number;
  mean: number;
  /** Population std; 1 when the reference's is 0. */
  std: number;
}

export interface CategoricalEncoding {
  /** Imputation value: the most frequent reference value (ties: the smallest string). */
  fill: string;
  /** [value, share of reference rows] pairs; a value not listed encodes as 0. */
  shares: [string, number][];
  mean: number;
  std: number;
}

/**
 * The fitted pipeline (plain JSON): imputation, frequency encoding, standardisation and the
 * kept principal axes of the standardised reference.
 */
export interface PcaPipeline {
  numerical: NumericalEncoding[];
  categorical: CategoricalEncoding[];
  /** Mean of the standardised reference (0 up to rounding). */
  center: number[];
  /** The k kept principal axes, each of length d = columns. */
  components: number[][];
  /**
   * The d − k other axes (orthonormal complement of `components`): a row's error is the norm
   * of its projection onto them. Absent from pipelines stored before it was added.
   */
  discarded?: number[][];
  /** Explained-variance ratio of every axis, descending (the first k are kept). */
  explainedVarianceRatio: number[];
}

interface Prepared {
  numerical: readonly Float64Array[];
  categorical: EncodedCategories[];
  rows: number;
}

/**
 * Categorical columns dictionary-encoded once (strings into reused code buffers: the codes live
 * only for one call); every column checked for the same length.
 */
function prepare(columns: PcaColumns): Prepared {
  const categorical = columns.categorical.map((c, j) => (Array.isArray(c) ? encodeCategories(c, scratchInt32(`pca-codes-${j}`, c.length)) : toCategorical(c)));
  const lengths = [...columns.numerical.map((c) => c.length), ...categorical.map((c) => c.codes.length)];
  if (lengths.length === 0) throw new MetricsError('multivariate drift needs at least one feature column');
  const rows = lengths[0]!;
  if (lengths.some((l) => l !== rows)) throw new MetricsError('multivariate drift: columns differ in length');
  const numerical = columns.numerical.map((c) => (c instanceof Float64Array ? c : Float64Array.from(c)));
  return { numerical, categorical, rows };
}

/** Values per block of the numerical fit's one pass: a block is reread from cache, not memory. */
const FIT_BLOCK = 4096;

/**
 * Imputation value (mean of the present values), mean and population std of the imputed
 * column in one read of it. Imputing with the mean moves neither the mean nor the sum of
 * squared deviations, so both are the present values' own: per block of FIT_BLOCK values a
 * two-pass mean and sum of squares (the block is in cache for the second pass), merged across
 * blocks with Chan et al.'s update.
 */
function fitNumerical(column: Float64Array, index: number): NumericalEncoding {
  const n = column.length;
  let sum = 0;
  let count = 0;
  let m2 = 0;
  for (let start = 0; start < n; start += FIT_BLOCK) {
    const end = Math.min(n, start + FIT_BLOCK);
    let blockSum = 0;
    let blockCount = 0;
    for (let i = start; i < end; i++) {
      const v = column[i]!;
      if (v !== v) continue;
      if (v === Infinity || v === -Infinity) throw new MetricsError(`multivariate drift: numerical column ${index} holds an infinite value at row ${i + 1}`);
      sum += v;
      blockSum += v;
      blockCount++;
    }
    if (blockCount === 0) continue;
    const blockMean = blockSum / blockCount;
    let blockM2 = 0;
    for (let i = start; i < end; i++) {
      const v = column[i]!;
      if (v === v) blockM2 += (v - blockMean) * (v - blockMean);
    }
    if (count > 0) {
      const delta = blockMean - (sum - blockSum) / count;
      m2 += blockM2 + ((delta * delta * count) / (count + blockCount)) * blockCount;
    } else {
      m2 = blockM2;
    }
    count += blockCount;
  }
  if (count === 0) throw new MetricsError(`multivariate drift: numerical column ${index} has no value in the reference`);
  const fill = sum / count;
  const std = Math.sqrt(m2 / n);
  return { fill, mean: fill, std: std === 0 ? 1 : std };
}

function fitCategorical(column: EncodedCategories): CategoricalEncoding {
  const n = column.codes.length;
  const counts = new Float64Array(column.categories.length);
  let missing = 0;
  for (const c of column.codes) {
    if (c < 0) missing++;
    else counts[c]!++;
  }
  const byValue = new Map<string, number>();
  column.categories.forEach((name, c) => {
    if (counts[c]! > 0) byValue.set(name, (byValue.get(name) ?? 0) + counts[c]!);
  });
  let fill: string | undefined;
  let best = -1;
  for (const [value, count] of byValue) {
    if (count > best || (count === best && value < fill!)) {
      fill = value;
      best = count;
    }
  }
  if (fill === undefined) throw new MetricsError('multivariate drift: a categorical column has no value in the reference');
  byValue.set(fill, best + missing);
  const shares: [string, number][] = [...byValue].map(([v, c]) => [v, c / n]);
  const encoding: CategoricalEncoding = { fill, shares, mean: 0, std: 1 };
  // Mean and population std (1 when 0) of the encoded column from the counts per code.
  const byCode = sharesByCode(encoding, column);
  const weight = (code: number): number => (code < 0 ? missing : counts[code]!);
  let sum = 0;
  for (let c = -1; c < column.categories.length; c++) sum += weight(c) * byCode[c + 1]!;
  const mean = sum / n;
  let ss = 0;
  for (let c = -1; c < column.categories.length; c++) ss += weight(c) * (byCode[c + 1]! - mean) ** 2;
  const std = Math.sqrt(ss / n);
  return { ...encoding, mean, std: std === 0 ? 1 : std };
}

/** The share of each dictionary code at code + 1, the imputed value's share at 0 (for code −1). */
function sharesByCode(e: CategoricalEncoding, column: EncodedCategories): Float64Array {
  const shares = new Map(e.shares);
  const out = new Float64Array(column.categories.length + 1);
  out[0] = shares.get(e.fill) ?? 0;
  column.categories.forEach((name, c) => (out[c + 1] = shares.get(name) ?? 0));
  return out;
}

/** The prepared columns read through the pipeline's encodings, with `center` subtracted. */
function standardisedRows(p: Pick<PcaPipeline, 'numerical' | 'categorical'>, prepared: Prepared, center: ArrayLike<number>): StandardisedRows {
  const n = p.numerical.length;
  return {
    rows: prepared.rows,
    dims: n + p.categorical.length,
    numerical: prepared.numerical,
    fill: Float64Array.from(p.numerical, (e) => e.fill),
    mean: Float64Array.from(p.numerical, (e) => e.mean),
    std: Float64Array.from(p.numerical, (e) => e.std),
    center: Float64Array.from(center),
    codes: prepared.categorical.map((c) => c.codes),
    tables: p.categorical.map((e, c) => sharesByCode(e, prepared.categorical[c]!).map((share) => (share - e.mean) / e.std - center[n + c]!)),
  };
}

function checkColumns(p: Pick<PcaPipeline, 'numerical' | 'categorical'>, columns: PcaColumns | Prepared): Prepared {
  if (columns.numerical.length !== p.numerical.length || columns.categorical.length !== p.categorical.length) {
    throw new MetricsError('multivariate drift: the columns differ from the reference pipeline');
  }
  return 'rows' in columns ? columns : prepare(columns);
}

/**
 * The standardised rows, row-major (n × d): numerical columns then categorical columns, each
 * imputed, encoded and scaled with the pipeline's reference statistics.
 */
export function standardisePcaColumns(p: Pick<PcaPipeline, 'numerical' | 'categorical'>, columns: PcaColumns | Prepared): { z: Float64Array; rows: number; dims: number } {
  const prepared = checkColumns(p, columns);
  const rows = prepared.rows;
  const dims = p.numerical.length + p.categorical.length;
  const z = new Float64Array(rows * dims);
  for (let j = 0; j < p.numerical.length; j++) {
    const e = p.numerical[j]!;
    const col = prepared.numerical[j]!;
    for (let i = 0; i < rows; i++) {
      const v = col[i]!;
      z[i * dims + j] = ((Number.isNaN(v) ? e.fill : v) - e.mean) / e.std;
    }
  }
  for (let c = 0; c < p.categorical.length; c++) {
    const e = p.categorical[c]!;
    const j = p.numerical.length + c;
    const byCode = sharesByCode(e, prepared.categorical[c]!);
    const { codes } = prepared.categorical[c]!;
    for (let i = 0; i < rows; i++) z[i * dims + j] = (byCode[codes[i]! + 1]! - e.mean) / e.std;
  }
  return { z, rows, dims };
}

/**
 * Fits the pipeline on the reference: imputation, frequency encoding, standardisation, and
 * the principal axes from the eigen-decomposition of the centred reference's scatter matrix
 * (the right singular vectors of its SVD), keeping the fewest axes whose cumulative
 * explained-variance ratio is ≥ 0.65.
 * @throws MetricsError on no columns, no rows, or a column without any reference value.
 */
export function fitPcaPipeline(reference: PcaColumns): PcaPipeline {
  return fitWithErrors(reference).pipeline;
}

/** fitPcaPipeline and the reference's row errors. */
export function fitWithErrors(reference: PcaColumns): { pipeline: PcaPipeline; errors: Float64Array } {
  const { pipeline, rows } = fitPcaRows(reference);
  const errors = new Float64Array(rows.rows);
  forEachErrorBlock(rows, errorAxes(pipeline), 0, rows.rows, (e, start, count) => errors.set(e.subarray(0, count), start));
  return { pipeline, errors };
}

/**
 * The fitted pipeline and the reference read through it, in one streaming pass over the rows
 * (the scatter matrix; the reference's errors are another pass, by the caller).
 */
export function fitPcaRows(reference: PcaColumns): { pipeline: PcaPipeline; rows: StandardisedRows } {
  const prepared = prepare(reference);
  const rows = prepared.rows;
  if (rows < 2) throw new MetricsError('multivariate drift needs at least two reference rows');
  const numerical = prepared.numerical.map(fitNumerical);
  const categorical = prepared.categorical.map(fitCategorical);
  const encodings = { numerical, categorical };
  const dims = numerical.length + categorical.length;
  // Scatter of the centred rows: Σ (z − μ)(z − μ)ᵀ = Σ zzᵀ − n·μμᵀ (μ is 0 up to rounding).
  const { gram, sums } = gramMatrix(standardisedRows(encodings, prepared, new Float64Array(dims)));
  const center = Array.from(sums, (v) => v / rows);
  const scatter = Array.from({ length: dims }, (_, a) => Array.from({ length: dims }, (_, b) => gram[a * dims + b]! - rows * center[a]! * center[b]!));
  const eig = new EigenvalueDecomposition(new Matrix(scatter), { assumeSymmetric: true });
  const values = eig.realEigenvalues.map((v) => Math.max(v, 0));
  const vectors = eig.eigenvectorMatrix;
  const order = values.map((_, i) => i).sort((a, b) => values[b]! - values[a]!);
  const total = values.reduce((x, y) => x + y, 0);
  if (!(total > 0)) throw new MetricsError('multivariate drift: the reference has no variance in any column');
  const explainedVarianceRatio = order.map((i) => values[i]! / total);
  let k = 0;
  let cumulative = 0;
  while (k < dims && cumulative < PCA_EXPLAINED_VARIANCE) cumulative += explainedVarianceRatio[k++]!;
  const components = order.slice(0, k).map((i) => vectors.getColumn(i));
  const discarded = order.slice(k).map((i) => vectors.getColumn(i));
  const pipeline: PcaPipeline = { numerical, categorical, center, components, discarded, explainedVarianceRatio };
  return { pipeline, rows: standardisedRows(pipeline, prepared, center) };
}

/**
 * The cheaper exact way to a row's error: the complement's (d − k)·d multiply-adds or the
 * explicit residual's (2k + 1)·d (the complement is absent from pipelines fitted before it).
 */
export function errorAxes(p: PcaPipeline): ErrorAxes {
  const dims = p.numerical.length + p.categorical.length;
  const k = p.components.length;
  const useDiscarded = p.discarded !== undefined && (dims - k) * dims <= (2 * k + 1) * dims;
  return errorAxesOf(useDiscarded ? p.discarded! : p.components, dims, useDiscarded);
}

/** Euclidean reconstruction error of every row: ‖(x − μ) − (x − μ)·V_k·V_kᵀ‖. */
export function reconstructionErrors(p: PcaPipeline, columns: PcaColumns): Float64Array {
  const prepared = checkColumns(p, columns);
  const errors = new Float64Array(prepared.rows);
  forEachReconstructionError(p, prepared, (e, start, count) => errors.set(e.subarray(0, count), start));
  return errors;
}

/** reconstructionErrors a block of rows at a time, without the n-long array (see forEachErrorBlock). */
export function forEachReconstructionError(p: PcaPipeline, columns: PcaColumns, visit: (errors: Float64Array, start: number, count: number) => void): void {
  const rows = standardisedRows(p, checkColumns(p, columns), p.center);
  forEachErrorBlock(rows, errorAxes(p), 0, rows.rows, visit);
}
