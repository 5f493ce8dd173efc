/**
 * The row kernels of the PCA pipeline. Rows are standardised a block at a time into a small
 * buffer that stays in cache (never the whole n × d matrix), and each block is folded into
 * the scatter matrix or into the rows' reconstruction errors at once.
 */

/** Rows per block: 256 × 25 columns of doubles is 50 kB. */
export const PCA_BLOCK_ROWS = 256;

/**
 * A table read through the fitted encodings: numerical columns imputed and standardised,
 * categorical columns as a lookup from dictionary code to standardised share. Every value
 * has the pipeline's center subtracted.
 */
export interface StandardisedRows {
  rows: number;
  dims: number;
  numerical: readonly Float64Array[];
  fill: Float64Array;
  mean: Float64Array;
  std: Float64Array;
  /** Center of each column (0 while fitting). */
  center: Float64Array;
  codes: readonly Int32Array[];
  /** Per categorical column: the centred standardised value of code c at c + 1, of a missing value at 0. */
  tables: readonly Float64Array[];
}

/**
 * Writes rows [start, start + count) standardised and centred into `out`: the value of row r,
 * column j at r·rowStride + j·colStride (row-major: rowStride = dims, colStride = 1;
 * column-major: rowStride = 1, colStride = block length).
 */
export function fillBlock(s: StandardisedRows, start: number, count: number, out: Float64Array, rowStride: number, colStride: number): void {
  const numerical = s.numerical.length;
  for (let j = 0; j < numerical; j++) {
    const col = s.numerical[j]!;
    const fill = s.fill[j]!;
    const mean = s.mean[j]!;
    const std = s.std[j]!;
    const mu = s.center[j]!;
    for (let r = 0, at = j * colStride; r < count; r++, at += rowStride) {
      const v = col[start + r]!;
      out[at] = ((v !== v ? fill : v) - mean) / std - mu;
    }
  }
  for (let c = 0; c < s.codes.length; c++) {
    const codes = s.codes[c]!;
    const table = s.tables[c]!;
    for (let r = 0, at = (numerical + c) * colStride; r < count; r++, at += rowStride) out[at] = table[codes[start + r]! + 1]!;
  }
}

/** Columns rounded up to a multiple of 4: blocks carry zero columns up to it. */
export const paddedDims = (dims: number): number => Math.ceil(dims / 4) * 4;

/**
 * Adds a column-major block's Σ zzᵀ and Σ z to the running sums (gram is padded × padded, its
 * upper triangle b ≥ a complete). Tiles of two columns by four: six loads feed eight sums.
 */
export function addBlockGram(block: Float64Array, count: number, stride: number, padded: number, gram: Float64Array, sums: Float64Array): void {
  for (let a = 0; a < padded; a++) {
    const oa = a * stride;
    let sum = sums[a]!;
    for (let r = 0; r < count; r++) sum += block[oa + r]!;
    sums[a] = sum;
  }
  const dots = new Float64Array(8);
  for (let a = 0; a < padded; a += 2) {
    for (let b = a - (a % 4); b < padded; b += 4) {
      dots2x4(block, a * stride, stride, block, b * stride, stride, count, dots);
      const g0 = a * padded + b;
      const g1 = g0 + padded;
      for (let k = 0; k < 4; k++) {
        gram[g0 + k]! += dots[k]!;
        gram[g1 + k]! += dots[4 + k]!;
      }
    }
  }
}

/**
 * The eight dot products of two vectors of x (at x0 and x0 + xStride) with four of y (at y0,
 * y0 + yStride, …), each `length` long: out[0..4) for the first, out[4..8) for the second.
 * Register-blocked: the JIT's loads, with their bounds checks, bound these loops rather than
 * the multiply-adds, and here six loads feed eight independent sums.
 */
export function dots2x4(x: Float64Array, x0: number, xStride: number, y: Float64Array, y0: number, yStride: number, length: number, out: Float64Array): void {
  const x1 = x0 + xStride;
  const y1 = y0 + yStride;
  const y2 = y1 + yStride;
  const y3 = y2 + yStride;
  let p0 = 0;
  let p1 = 0;
  let p2 = 0;
  let p3 = 0;
  let q0 = 0;
  let q1 = 0;
  let q2 = 0;
  let q3 = 0;
  for (let j = 0; j < length; j++) {
    const u = x[x0 + j]!;
    const v = x[x1 + j]!;
    const w0 = y[y0 + j]!;
    const w1 = y[y1 + j]!;
    const w2 = y[y2 + j]!;
    const w3 = y[y3 + j]!;
    p0 += u * w0;
    p1 += u * w1;
    p2 += u * w2;
    p3 += u * w3;
    q0 += v * w0;
    q1 += v * w1;
    q2 += v * w2;
    q3 += v * w3;
  }
  out[0] = p0;
  out[1] = p1;
  out[2] = p2;
  out[3] = p3;
  out[4] = q0;
  out[5] = q1;
  out[6] = q2;
  out[7] = q3;
}

/**
 * The axes a row's reconstruction error is measured with, flattened (axes[a·dims + j]) and
 * padded with zero axes to a multiple of 4 (a zero axis adds exactly 0).
 * `discarded`: the orthonormal complement of the kept axes, error = ‖Wᵀc‖ (no cancellation,
 * (d − k)·d multiply-adds a row). Otherwise the kept axes, error = ‖c − V·Vᵀc‖ ((2k + 1)·d).
 */
export interface ErrorAxes {
  axes: Float64Array;
  /** Axes before padding. */
  count: number;
  discarded: boolean;
}

export function errorAxesOf(axes: readonly (readonly number[])[], dims: number, discarded: boolean): ErrorAxes {
  const padded = new Float64Array(Math.ceil(axes.length / 4) * 4 * dims);
  axes.forEach((axis, a) => padded.set(axis, a * dims));
  return { axes: padded, count: axes.length, discarded };
}

/**
 * Reconstruction errors of a row-major block's rows into out[at..at + count), two rows at a
 * time against four axes at a time (dots2x4). With an odd count the block's next row is
 * computed too and its result dropped: `block` and `out` must hold an even number of rows.
 */
export function blockErrors(block: Float64Array, count: number, dims: number, e: ErrorAxes, out: Float64Array, at: number, scratch: Float64Array): void {
  const { axes } = e;
  const groups = axes.length / (4 * dims);
  const dots0 = scratch.subarray(0, 4 * groups);
  const dots1 = scratch.subarray(4 * groups, 8 * groups);
  const group = scratch.subarray(8 * groups, 8 * groups + 8);
  for (let r = 0; r < count; r += 2) {
    const b0 = r * dims;
    let ss0 = 0;
    let ss1 = 0;
    for (let g = 0; g < groups; g++) {
      dots2x4(block, b0, dims, axes, 4 * g * dims, dims, dims, group);
      for (let k = 0; k < 4; k++) {
        dots0[4 * g + k] = group[k]!;
        dots1[4 * g + k] = group[4 + k]!;
      }
    }
    if (e.discarded) {
      for (let a = 0; a < 4 * groups; a++) {
        ss0 += dots0[a]! * dots0[a]!;
        ss1 += dots1[a]! * dots1[a]!;
      }
    } else {
      ss0 = residualSquares(block, b0, dims, axes, e.count, dots0);
      ss1 = residualSquares(block, b0 + dims, dims, axes, e.count, dots1);
    }
    out[at + r] = Math.sqrt(ss0);
    out[at + r + 1] = Math.sqrt(ss1);
  }
}

/** ‖c − Σ_a dots_a·V_a‖² of the row at block[base..]. */
function residualSquares(block: Float64Array, base: number, dims: number, axes: Float64Array, k: number, dots: Float64Array): number {
  let ss = 0;
  for (let j = 0; j < dims; j++) {
    let c = block[base + j]!;
    for (let a = 0; a < k; a++) c -= dots[a]! * axes[a * dims + j]!;
    ss += c * c;
  }
  return ss;
}

/**
 * The reconstruction errors of rows [from, to), a block at a time: `visit(errors, start, count)`
 * sees errors[0..count) of rows start.. (the buffer is reused for the next block).
 */
export function forEachErrorBlock(s: StandardisedRows, e: ErrorAxes, from: number, to: number, visit: (errors: Float64Array, start: number, count: number) => void): void {
  const block = new Float64Array(PCA_BLOCK_ROWS * s.dims);
  const errors = new Float64Array(PCA_BLOCK_ROWS);
  const scratch = new Float64Array((2 * e.axes.length) / s.dims + 8);
  for (let start = from; start < to; start += PCA_BLOCK_ROWS) {
    const count = Math.min(PCA_BLOCK_ROWS, to - start);
    fillBlock(s, start, count, block, s.dims, 1);
    blockErrors(block, count, s.dims, e, errors, 0, scratch);
    visit(errors, start, count);
  }
}

/** Σ zzᵀ (full symmetric d × d, gram[a·d + b]) and Σ z over all rows. */
export function gramMatrix(s: StandardisedRows): { gram: Float64Array; sums: Float64Array } {
  const { dims, rows } = s;
  const padded = paddedDims(dims);
  const tiles = new Float64Array(padded * padded);
  const paddedSums = new Float64Array(padded);
  const block = new Float64Array(PCA_BLOCK_ROWS * padded);
  for (let start = 0; start < rows; start += PCA_BLOCK_ROWS) {
    const count = Math.min(PCA_BLOCK_ROWS, rows - start);
    fillBlock(s, start, count, block, 1, PCA_BLOCK_ROWS);
    addBlockGram(block, count, PCA_BLOCK_ROWS, padded, tiles, paddedSums);
  }
  const gram = new Float64Array(dims * dims);
  for (let a = 0; a < dims; a++) for (let b = a; b < dims; b++) gram[a * dims + b] = gram[b * dims + a] = tiles[a * padded + b]!;
  return { gram, sums: paddedSums.slice(0, dims) };
}
