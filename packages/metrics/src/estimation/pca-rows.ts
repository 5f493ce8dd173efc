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
  for (let a = 0; a < padded; a += 2) {
    const x0 = a * stride;
    const x1 = x0 + stride;
    for (let b = a - (a % 4); b < padded; b += 4) {
      const y0 = b * stride;
      const y1 = y0 + stride;
      const y2 = y1 + stride;
      const y3 = y2 + stride;
      let s00 = 0;
      let s01 = 0;
      let s02 = 0;
      let s03 = 0;
      let s10 = 0;
      let s11 = 0;
      let s12 = 0;
      let s13 = 0;
      for (let r = 0; r < count; r++) {
        const u = block[x0 + r]!;
        const v = block[x1 + r]!;
        const c0 = block[y0 + r]!;
        const c1 = block[y1 + r]!;
        const c2 = block[y2 + r]!;
        const c3 = block[y3 + r]!;
        s00 += u * c0;
        s01 += u * c1;
        s02 += u * c2;
        s03 += u * c3;
        s10 += v * c0;
        s11 += v * c1;
        s12 += v * c2;
        s13 += v * c3;
      }
      const g0 = a * padded + b;
      const g1 = g0 + padded;
      gram[g0]! += s00;
      gram[g0 + 1]! += s01;
      gram[g0 + 2]! += s02;
      gram[g0 + 3]! += s03;
      gram[g1]! += s10;
      gram[g1 + 1]! += s11;
      gram[g1 + 2]! += s12;
      gram[g1 + 3]! += s13;
    }
  }
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
 * Reconstruction errors of a row-major block's rows into out[at..at + count). The dot products
 * are register-blocked, two rows by four axes: each load feeds several independent sums (the
 * JIT's loads, with their bounds checks, bound this loop, not the multiply-adds). With an odd
 * count the block's next row is computed too and its result dropped: `block` and `out` must
 * hold an even number of rows.
 */
export function blockErrors(block: Float64Array, count: number, dims: number, e: ErrorAxes, out: Float64Array, at: number, scratch: Float64Array): void {
  const { axes } = e;
  const groups = axes.length / (4 * dims);
  const dots0 = scratch.subarray(0, 4 * groups);
  const dots1 = scratch.subarray(4 * groups, 8 * groups);
  for (let r = 0; r < count; r += 2) {
    const b0 = r * dims;
    const b1 = b0 + dims;
    let ss0 = 0;
    let ss1 = 0;
    for (let g = 0; g < groups; g++) {
      const o0 = 4 * g * dims;
      const o1 = o0 + dims;
      const o2 = o1 + dims;
      const o3 = o2 + dims;
      let p0 = 0;
      let p1 = 0;
      let p2 = 0;
      let p3 = 0;
      let q0 = 0;
      let q1 = 0;
      let q2 = 0;
      let q3 = 0;
      for (let j = 0; j < dims; j++) {
        const y = block[b0 + j]!;
        const z = block[b1 + j]!;
        const w0 = axes[o0 + j]!;
        const w1 = axes[o1 + j]!;
        const w2 = axes[o2 + j]!;
        const w3 = axes[o3 + j]!;
        p0 += y * w0;
        p1 += y * w1;
        p2 += y * w2;
        p3 += y * w3;
        q0 += z * w0;
        q1 += z * w1;
        q2 += z * w2;
        q3 += z * w3;
      }
      if (e.discarded) {
        ss0 += p0 * p0 + p1 * p1 + (p2 * p2 + p3 * p3);
        ss1 += q0 * q0 + q1 * q1 + (q2 * q2 + q3 * q3);
      } else {
        dots0[4 * g] = p0;
        dots0[4 * g + 1] = p1;
        dots0[4 * g + 2] = p2;
        dots0[4 * g + 3] = p3;
        dots1[4 * g] = q0;
        dots1[4 * g + 1] = q1;
        dots1[4 * g + 2] = q2;
        dots1[4 * g + 3] = q3;
      }
    }
    if (!e.discarded) {
      ss0 = residualSquares(block, b0, dims, axes, e.count, dots0);
      ss1 = residualSquares(block, b1, dims, axes, e.count, dots1);
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
  const scratch = new Float64Array((2 * e.axes.length) / s.dims);
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
