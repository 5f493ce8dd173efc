import { MetricsError } from '../errors.js';
import { sortFloat64InPlace } from '../stats/radix-sort.js';

/**
 * Estimated ROC AUC from raw scores and the probability p that each row is positive: rows
 * sorted by score descending, one ROC point per distinct score (ties grouped), where the
 * cumulative true positives are Σ p and false positives Σ (1 − p); trapezoid area.
 * With p ∈ {0, 1} the true labels, this is scikit-learn's roc_auc_score. NaN when Σ p or
 * Σ (1 − p) is 0.
 */
export function estimatedRocAuc(probabilities: ArrayLike<number>, scores: ArrayLike<number>): number {
  const n = scores.length;
  if (probabilities.length !== n) throw new MetricsError(`estimated ROC AUC: probabilities and scores differ in length (${n} vs ${probabilities.length})`);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const tps: number[] = [];
  const fps: number[] = [];
  let tp = 0;
  let count = 0;
  for (let r = 0; r < n; r++) {
    const i = order[r]!;
    tp += probabilities[i]!;
    count++;
    if (r === n - 1 || scores[order[r + 1]!] !== scores[i]) {
      tps.push(tp);
      fps.push(count - tp);
    }
  }
  return areaUnder(tps, fps);
}

/**
 * estimatedRocAuc when p is a function of the score (a calibrated probability): the scores
 * alone are radix-sorted, with no index sort. Equal to estimatedRocAuc(scores.map(p), scores).
 */
export function estimatedRocAucOf(p: (score: number) => number, scores: ArrayLike<number>): number {
  const sorted = Float64Array.from(scores);
  sortFloat64InPlace(sorted);
  const tps: number[] = [];
  const fps: number[] = [];
  let tp = 0;
  let count = 0;
  for (let r = sorted.length - 1; r >= 0; r--) {
    const s = sorted[r]!;
    const ps = p(s);
    let k = r;
    while (k > 0 && sorted[k - 1] === s) k--;
    // Rows r..k share the score: added one at a time as the general estimate adds them.
    for (let i = r; i >= k; i--) {
      tp += ps;
      count++;
    }
    tps.push(tp);
    fps.push(count - tp);
    r = k;
  }
  return areaUnder(tps, fps);
}

function areaUnder(tps: readonly number[], fps: readonly number[]): number {
  const P = tps[tps.length - 1] ?? 0;
  const N = fps[fps.length - 1] ?? 0;
  if (!(P > 0) || !(N > 0)) return NaN;
  let area = 0;
  let prevX = 0;
  let prevY = 0;
  for (let k = 0; k < tps.length; k++) {
    const x = fps[k]! / N;
    const y = tps[k]! / P;
    area += ((x - prevX) * (y + prevY)) / 2;
    prevX = x;
    prevY = y;
  }
  return area;
}

/** Bins of the streaming estimate: scores in [0, 1] cut into this many equal-width bins. */
export const SCORE_HISTOGRAM_BINS = 1000;

/**
 * The mergeable form of the estimated ROC AUC for streaming windows: per score bin (of
 * SCORE_HISTOGRAM_BINS equal-width bins over [0, 1]) the row count and Σ p. Two windows merge
 * by adding their arrays.
 */
export interface ScoreHistogram {
  count: number[];
  sumP: number[];
}

export function emptyScoreHistogram(bins = SCORE_HISTOGRAM_BINS): ScoreHistogram {
  return { count: new Array<number>(bins).fill(0), sumP: new Array<number>(bins).fill(0) };
}

export function addToScoreHistogram(h: ScoreHistogram, score: number, p: number): void {
  const bins = h.count.length;
  const b = Math.min(bins - 1, Math.max(0, Math.floor(score * bins)));
  h.count[b]! += 1;
  h.sumP[b]! += p;
}

export function mergeScoreHistograms(a: ScoreHistogram, b: ScoreHistogram): ScoreHistogram {
  if (a.count.length !== b.count.length) throw new MetricsError('score histograms differ in bins');
  return { count: a.count.map((c, i) => c + b.count[i]!), sumP: a.sumP.map((s, i) => s + b.sumP[i]!) };
}

/**
 * The streaming approximation of estimatedRocAuc: every bin is one tied group. Only pairs of
 * rows in the same bin are scored differently from the exact estimate (half credit instead of
 * 0 or 1), so |exact − approximation| ≤ maxError = Σ_b P_b·N_b / (2·P·N), with P_b = Σ p and
 * N_b = count − P_b in bin b. Closed windows compute the exact value from the raw scores.
 */
export function rocAucFromHistogram(h: ScoreHistogram): { value: number; maxError: number } {
  const tps: number[] = [];
  const fps: number[] = [];
  let tp = 0;
  let count = 0;
  let within = 0;
  for (let b = h.count.length - 1; b >= 0; b--) {
    const c = h.count[b]!;
    if (c === 0) continue;
    const p = h.sumP[b]!;
    tp += p;
    count += c;
    tps.push(tp);
    fps.push(count - tp);
    within += p * (c - p);
  }
  const value = areaUnder(tps, fps);
  const P = tp;
  const N = count - tp;
  return { value, maxError: Number.isNaN(value) ? NaN : within / (2 * P * N) };
}
