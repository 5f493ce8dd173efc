import { sortSplitByFlag } from '../stats/radix-sort.js';
import { emptyExpectedConfusion, type ExpectedConfusion } from './expected-confusion.js';
import { interpolateKnots, type IsotonicCalibrator } from './isotonic.js';

/**
 * The expected confusion matrix and the exact estimated ROC AUC of a chunk in one walk: the
 * scores of predicted positives and predicted negatives are radix-sorted apart, then walked
 * together from the highest score down while a pointer walks the calibrator's knots the same
 * way, so each distinct score is calibrated once in O(1) instead of a binary search per row.
 * Equal to expectedConfusion(calibrateAll(c, scores), yPred) and
 * estimatedRocAucOf((s) => calibrate(c, s), scores) up to the order of the sums.
 * Scores must be NaN-free and predictions 0/1 (checkBinaryInputs).
 */
export function sortedBinaryEstimate(c: IsotonicCalibrator, scores: ArrayLike<number>, yPred: ArrayLike<number>): { confusion: ExpectedConfusion; rocAuc: number } {
  const n = scores.length;
  const { ones: pos, zeros: neg } = sortSplitByFlag(scores, yPred, 'estimate-split');

  const { x, y } = c;
  const last = x.length - 1;
  const m = emptyExpectedConfusion();
  m.rows = n;
  // ROC: cumulative Σ p (tp) and Σ (1 − p) (count − tp) at the end of each tied group, highest
  // score first; the trapezoids are summed unnormalised (2·area·P·N) and scaled at the end.
  let tp = 0;
  let fpPrev = 0;
  let tpPrev = 0;
  let doubleArea = 0;
  let count = 0;
  let a = pos.length - 1;
  let b = neg.length - 1;
  let hi = last;
  while (a >= 0 || b >= 0) {
    const s = b < 0 || (a >= 0 && pos[a]! >= neg[b]!) ? pos[a]! : neg[b]!;
    let p: number;
    if (last === 0 || s <= x[0]!) p = y[0]!;
    else if (s >= x[last]!) p = y[last]!;
    else {
      while (x[hi - 1]! >= s) hi--;
      p = interpolateKnots(c, hi, s);
    }
    const q = 1 - p;
    while (a >= 0 && pos[a] === s) {
      m.tp += p;
      m.fp += q;
      tp += p;
      count++;
      a--;
    }
    while (b >= 0 && neg[b] === s) {
      m.fn += p;
      m.tn += q;
      tp += p;
      count++;
      b--;
    }
    const fp = count - tp;
    doubleArea += (fp - fpPrev) * (tp + tpPrev);
    fpPrev = fp;
    tpPrev = tp;
  }
  const rocAuc = tp > 0 && fpPrev > 0 ? doubleArea / (2 * tp * fpPrev) : NaN;
  return { confusion: m, rocAuc };
}
