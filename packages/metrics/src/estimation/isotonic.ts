import { MetricsError } from '../errors.js';
import { sortSplitByFlag } from '../stats/radix-sort.js';
import { scratchFloat64, scratchInt32 } from '../stats/scratch.js';

/**
 * A fitted isotonic calibrator: the merged distinct reference scores `x` (ascending) and the
 * non-decreasing fitted probability `y` at each. Plain arrays, so it stores as JSON.
 */
export interface IsotonicCalibrator {
  x: number[];
  y: number[];
}

/**
 * Weighted pool-adjacent-violators in place (scikit-learn's _inplace_contiguous_isotonic_regression):
 * `y` becomes the non-decreasing sequence closest to it in weighted least squares.
 */
function poolAdjacentViolators(y: Float64Array, w: Float64Array): void {
  const n = y.length;
  // target[i] = j and target[j] = i when [i..j] is a block.
  const target = scratchInt32('isotonic-blocks', n);
  for (let i = 0; i < n; i++) target[i] = i;
  let i = 0;
  while (i < n) {
    let k = target[i]! + 1;
    if (k === n) break;
    if (y[i]! < y[k]!) {
      i = k;
      continue;
    }
    let sumWy = w[i]! * y[i]!;
    let sumW = w[i]!;
    for (;;) {
      const prevY = y[k]!;
      sumWy += w[k]! * y[k]!;
      sumW += w[k]!;
      k = target[k]! + 1;
      if (k === n || prevY < y[k]!) {
        y[i] = sumWy / sumW;
        w[i] = sumW;
        target[i] = k - 1;
        target[k - 1] = i;
        if (i > 0) i = target[i - 1]!;
        break;
      }
    }
  }
  i = 0;
  while (i < n) {
    const k = target[i]! + 1;
    y.fill(y[i]!, i + 1, k);
    i = k;
  }
}

/**
 * Isotonic regression of a 0/1 outcome on a score (scikit-learn
 * IsotonicRegression(increasing=True, out_of_bounds='clip')): sort by score, merge equal
 * scores into one point (mean outcome, weight = count), pool adjacent violators.
 * @throws MetricsError on empty or mismatched input, or a score that is not finite.
 */
export function fitIsotonic(scores: ArrayLike<number>, outcomes: ArrayLike<number>): IsotonicCalibrator {
  const n = scores.length;
  if (n !== outcomes.length) throw new MetricsError(`calibration: scores and labels differ in length (${n} vs ${outcomes.length})`);
  if (n === 0) throw new MetricsError('calibration needs at least one reference row');
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(scores[i]!)) throw new MetricsError(`calibration: score at row ${i} is not a finite number`);
  }
  const { xs, ys, ws } = mergeEqualScores(scores, outcomes);
  poolAdjacentViolators(ys, ws);
  return { x: toPlainArray(xs), y: toPlainArray(ys) };
}

interface Merged {
  xs: ArrayLike<number>;
  ys: Float64Array;
  ws: Float64Array;
}

/** A plain array (the calibrator stores as JSON) filled by index: twice as fast as Array.from on 10⁶ values. */
function toPlainArray(values: ArrayLike<number>): number[] {
  if (Array.isArray(values)) return values as number[];
  const out = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i]!;
  return out;
}

/** Distinct scores ascending with the mean outcome and count of each. */
function mergeEqualScores(scores: ArrayLike<number>, outcomes: ArrayLike<number>): Merged {
  const n = scores.length;
  let binary = true;
  for (let i = 0; i < n && binary; i++) binary = outcomes[i] === 0 || outcomes[i] === 1;
  if (binary) return mergeBinary(scores, outcomes);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]! || outcomes[a]! - outcomes[b]!);
  const xs: number[] = [];
  const ys: number[] = [];
  const ws: number[] = [];
  let currentX = scores[order[0]!]!;
  let sumY = 0;
  let weight = 0;
  for (const i of order) {
    const x = scores[i]!;
    if (x !== currentX) {
      xs.push(currentX);
      ys.push(sumY / weight);
      ws.push(weight);
      currentX = x;
      sumY = 0;
      weight = 0;
    }
    sumY += outcomes[i]!;
    weight += 1;
  }
  xs.push(currentX);
  ys.push(sumY / weight);
  ws.push(weight);
  return { xs, ys: Float64Array.from(ys), ws: Float64Array.from(ws) };
}

/**
 * The same for 0/1 outcomes without an index sort: the scores of each outcome are radix-sorted
 * apart and merged, counting ones and rows per distinct score into typed arrays.
 */
function mergeBinary(scores: ArrayLike<number>, outcomes: ArrayLike<number>): Merged {
  const n = scores.length;
  const { ones: pos, zeros: neg } = sortSplitByFlag(scores, outcomes, 'isotonic-split');
  const xs = scratchFloat64('isotonic-x', n);
  const ys = scratchFloat64('isotonic-y', n);
  const ws = scratchFloat64('isotonic-w', n);
  let points = 0;
  let a = 0;
  let b = 0;
  while (a < pos.length || b < neg.length) {
    const x = b >= neg.length || (a < pos.length && pos[a]! <= neg[b]!) ? pos[a]! : neg[b]!;
    let count = 0;
    let sum = 0;
    while (b < neg.length && neg[b] === x) {
      b++;
      count++;
    }
    while (a < pos.length && pos[a] === x) {
      a++;
      count++;
      sum++;
    }
    xs[points] = x;
    ys[points] = sum / count;
    ws[points] = count;
    points++;
  }
  return { xs: xs.subarray(0, points), ys: ys.subarray(0, points), ws: ws.subarray(0, points) };
}

/**
 * The calibrated probability of one score: linear interpolation between the fitted points
 * (as scipy's interp1d), clipped to the first/last fitted value outside the fitted range.
 */
export function calibrate(c: IsotonicCalibrator, score: number): number {
  const { x, y } = c;
  const last = x.length - 1;
  if (last === 0 || score <= x[0]!) return y[0]!;
  if (score >= x[last]!) return y[last]!;
  // hi = first index with x[hi] >= score (searchsorted left), lo = hi - 1.
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (x[mid]! < score) lo = mid;
    else hi = mid;
  }
  return interpolateKnots(c, hi, score);
}

/**
 * The line between knots hi − 1 and hi at a score strictly inside the fitted range, where hi
 * is the first knot with x[hi] ≥ score (searchsorted left).
 */
export function interpolateKnots(c: IsotonicCalibrator, hi: number, score: number): number {
  const { x, y } = c;
  const lo = hi - 1;
  const slope = (y[hi]! - y[lo]!) / (x[hi]! - x[lo]!);
  // numpy.interp's form; when two scores are a subnormal apart the slope overflows, and the
  // share of the gap (always within [0, 1]) gives the same line without it.
  if (Number.isFinite(slope)) return slope * (score - x[lo]!) + y[lo]!;
  return y[lo]! + ((score - x[lo]!) / (x[hi]! - x[lo]!)) * (y[hi]! - y[lo]!);
}

/** calibrate() over many scores. */
export function calibrateAll(c: IsotonicCalibrator, scores: ArrayLike<number>): Float64Array {
  const out = new Float64Array(scores.length);
  for (let i = 0; i < scores.length; i++) out[i] = calibrate(c, scores[i]!);
  return out;
}
