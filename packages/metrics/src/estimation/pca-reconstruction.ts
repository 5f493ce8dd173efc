import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { MetricsError } from '../errors.js';
import { toCategorical, type ColumnValues, type EncodedCategories } from '../report/table.js';

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
  /** Explained-variance ratio of every axis, descending (the first k are kept). */
  explainedVarianceRatio: number[];
}

interface Prepared {
  numerical: readonly ArrayLike<number>[];
  categorical: EncodedCategories[];
  rows: number;
}

/** Categorical columns dictionary-encoded once; every column checked for the same length. */
function prepare(columns: PcaColumns): Prepared {
  const categorical = columns.categorical.map(toCategorical);
  const lengths = [...columns.numerical.map((c) => c.length), ...categorical.map((c) => c.codes.length)];
  if (lengths.length === 0) throw new MetricsError('multivariate drift needs at least one feature column');
  const rows = lengths[0]!;
  if (lengths.some((l) => l !== rows)) throw new MetricsError('multivariate drift: columns differ in length');
  return { numerical: columns.numerical, categorical, rows };
}

function standardiseParams(values: Float64Array): { mean: number; std: number } {
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  const std = Math.sqrt(ss / values.length);
  return { mean, std: std === 0 ? 1 : std };
}

function fitNumerical(column: ArrayLike<number>, index: number): NumericalEncoding {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < column.length; i++) {
    const v = column[i]!;
    if (Number.isNaN(v)) continue;
    if (!Number.isFinite(v)) throw new MetricsError(`multivariate drift: numerical column ${index} holds an infinite value at row ${i + 1}`);
    sum += v;
    count++;
  }
  if (count === 0) throw new MetricsError(`multivariate drift: numerical column ${index} has no value in the reference`);
  const fill = sum / count;
  const imputed = new Float64Array(column.length);
  for (let i = 0; i < column.length; i++) {
    const v = column[i]!;
    imputed[i] = Number.isNaN(v) ? fill : v;
  }
  return { fill, ...standardiseParams(imputed) };
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
  return { ...encoding, ...standardiseParams(encodeCategorical(encoding, column)) };
}

function encodeCategorical(e: CategoricalEncoding, column: EncodedCategories): Float64Array {
  const shares = new Map(e.shares);
  const fillShare = shares.get(e.fill) ?? 0;
  const byCode = Float64Array.from(column.categories, (name) => shares.get(name) ?? 0);
  const { codes } = column;
  const out = new Float64Array(codes.length);
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    out[i] = c < 0 ? fillShare : byCode[c]!;
  }
  return out;
}

/**
 * The standardised rows, row-major (n × d): numerical columns then categorical columns, each
 * imputed, encoded and scaled with the pipeline's reference statistics.
 */
export function standardisePcaColumns(p: Pick<PcaPipeline, 'numerical' | 'categorical'>, columns: PcaColumns | Prepared): { z: Float64Array; rows: number; dims: number } {
  if (columns.numerical.length !== p.numerical.length || columns.categorical.length !== p.categorical.length) {
    throw new MetricsError('multivariate drift: the columns differ from the reference pipeline');
  }
  const prepared = 'rows' in columns ? columns : prepare(columns);
  const rows = prepared.rows;
  const dims = p.numerical.length + p.categorical.length;
  const z = new Float64Array(rows * dims);
  for (let j = 0; j < p.numerical.length; j++) {
    const e = p.numerical[j]!;
    const source = prepared.numerical[j]!;
    const col = source instanceof Float64Array ? source : Float64Array.from(source);
    for (let i = 0; i < rows; i++) {
      const v = col[i]!;
      z[i * dims + j] = ((Number.isNaN(v) ? e.fill : v) - e.mean) / e.std;
    }
  }
  for (let c = 0; c < p.categorical.length; c++) {
    const e = p.categorical[c]!;
    const j = p.numerical.length + c;
    const encoded = encodeCategorical(e, prepared.categorical[c]!);
    for (let i = 0; i < rows; i++) z[i * dims + j] = (encoded[i]! - e.mean) / e.std;
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

/** fitPcaPipeline and the reference's row errors, standardising the reference once. */
export function fitWithErrors(reference: PcaColumns): { pipeline: PcaPipeline; errors: Float64Array } {
  const prepared = prepare(reference);
  const rows = prepared.rows;
  if (rows < 2) throw new MetricsError('multivariate drift needs at least two reference rows');
  const numerical = reference.numerical.map(fitNumerical);
  const categorical = prepared.categorical.map(fitCategorical);
  const { z, dims } = standardisePcaColumns({ numerical, categorical }, prepared);
  const center = new Array<number>(dims).fill(0);
  for (let i = 0; i < rows; i++) for (let j = 0; j < dims; j++) center[j]! += z[i * dims + j]!;
  for (let j = 0; j < dims; j++) center[j]! /= rows;
  const s = Array.from({ length: dims }, () => new Float64Array(dims));
  const c = new Float64Array(dims);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < dims; j++) c[j] = z[i * dims + j]! - center[j]!;
    for (let a = 0; a < dims; a++) {
      const ca = c[a]!;
      const row = s[a]!;
      for (let b = a; b < dims; b++) row[b]! += ca * c[b]!;
    }
  }
  for (let a = 0; a < dims; a++) for (let b = 0; b < a; b++) s[a]![b] = s[b]![a]!;
  const eig = new EigenvalueDecomposition(new Matrix(s.map((row) => Array.from(row))), { assumeSymmetric: true });
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
  const pipeline: PcaPipeline = { numerical, categorical, center, components, explainedVarianceRatio };
  return { pipeline, errors: rowErrors(pipeline, z, rows, dims) };
}

/** Euclidean reconstruction error of every row: ‖(x − μ) − (x − μ)·V_k·V_kᵀ‖. */
export function reconstructionErrors(p: PcaPipeline, columns: PcaColumns): Float64Array {
  const { z, rows, dims } = standardisePcaColumns(p, columns);
  return rowErrors(p, z, rows, dims);
}

function rowErrors(p: PcaPipeline, z: Float64Array, rows: number, dims: number): Float64Array {
  const k = p.components.length;
  // Axes flattened: v[a * dims + j].
  const v = Float64Array.from(p.components.flat());
  const mu = Float64Array.from(p.center);
  const errors = new Float64Array(rows);
  const c = new Float64Array(dims);
  const proj = new Float64Array(k);
  for (let i = 0; i < rows; i++) {
    const base = i * dims;
    for (let j = 0; j < dims; j++) c[j] = z[base + j]! - mu[j]!;
    for (let a = 0; a < k; a++) {
      let dot = 0;
      for (let j = 0; j < dims; j++) dot += c[j]! * v[a * dims + j]!;
      proj[a] = dot;
    }
    // Residual c − Σ_a proj_a·V_a, one axis at a time (contiguous in v).
    for (let a = 0; a < k; a++) {
      const pa = proj[a]!;
      const off = a * dims;
      for (let j = 0; j < dims; j++) c[j] = c[j]! - pa * v[off + j]!;
    }
    let ss = 0;
    for (let j = 0; j < dims; j++) ss += c[j]! * c[j]!;
    errors[i] = Math.sqrt(ss);
  }
  return errors;
}
