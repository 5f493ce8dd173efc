import { MetricsError } from '../errors.js';
import { checkLabels, sameLength, uniqueLabels, type Label } from './labels.js';

export interface BinaryCurve {
  /** Distinct scores, descending: the k-th point counts rows with score ≥ thresholds[k]. */
  thresholds: Float64Array;
  tps: Float64Array;
  fps: Float64Array;
}

function checkScores(scores: ArrayLike<number>, what: string): void {
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isFinite(scores[i]!)) throw new MetricsError(`${what} contains a non-finite value at index ${i}`, { index: i });
  }
}

/** Cumulative true/false positives at each distinct score, descending (scikit-learn's _binary_clf_curve). */
export function binaryCurve(isPositive: ArrayLike<boolean>, scores: ArrayLike<number>): BinaryCurve {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const thresholds: number[] = [];
  const tps: number[] = [];
  const fps: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let r = 0; r < n; r++) {
    const i = order[r]!;
    if (isPositive[i]) tp++;
    else fp++;
    if (r === n - 1 || scores[order[r + 1]!] !== scores[i]) {
      thresholds.push(scores[i]!);
      tps.push(tp);
      fps.push(fp);
    }
  }
  return { thresholds: Float64Array.from(thresholds), tps: Float64Array.from(tps), fps: Float64Array.from(fps) };
}

export interface RocCurve {
  fpr: Float64Array;
  tpr: Float64Array;
  /** thresholds[0] = Infinity, then the distinct scores descending (drop_intermediate=False). */
  thresholds: Float64Array;
}

/** ROC curve without dropping collinear points (sklearn.metrics.roc_curve(drop_intermediate=False)). */
export function rocCurveFromMask(isPositive: ArrayLike<boolean>, scores: ArrayLike<number>): RocCurve {
  const c = binaryCurve(isPositive, scores);
  const P = c.tps[c.tps.length - 1]!;
  const N = c.fps[c.fps.length - 1]!;
  if (P === 0 || N === 0) throw new MetricsError('ROC AUC is undefined when only one class is present in y_true');
  const k = c.thresholds.length + 1;
  const fpr = new Float64Array(k);
  const tpr = new Float64Array(k);
  const thresholds = new Float64Array(k);
  thresholds[0] = Infinity;
  for (let i = 1; i < k; i++) {
    fpr[i] = c.fps[i - 1]! / N;
    tpr[i] = c.tps[i - 1]! / P;
    thresholds[i] = c.thresholds[i - 1]!;
  }
  return { fpr, tpr, thresholds };
}

/** Trapezoidal area under a curve given by increasing x (numpy.trapezoid). */
function trapezoid(x: Float64Array, y: Float64Array): number {
  let area = 0;
  for (let i = 1; i < x.length; i++) area += ((x[i]! - x[i - 1]!) * (y[i]! + y[i - 1]!)) / 2;
  return area;
}

function positiveMask(yTrue: readonly Label[], positiveLabel: Label | undefined): boolean[] {
  checkLabels(yTrue, 'y_true');
  const labels = uniqueLabels(yTrue);
  if (labels.length > 2) throw new MetricsError('binary ROC AUC needs at most two classes in y_true; use rocAucOvr');
  const positive = positiveLabel ?? labels[labels.length - 1];
  return yTrue.map((v) => v === positive);
}

/**
 * Binary ROC AUC (sklearn.metrics.roc_auc_score): trapezoid over the ROC points at the
 * distinct score thresholds, so tied scores earn half credit. `positiveLabel` defaults to
 * the greater label. `scores` are scores/probabilities of the positive class.
 *
 * Reference: https://scikit-learn.org/stable/modules/generated/sklearn.metrics.roc_auc_score.html
 * @throws MetricsError when only one class occurs, lengths differ, or a score is not finite.
 */
export function rocAuc(yTrue: readonly Label[], scores: ArrayLike<number>, positiveLabel?: Label): number {
  sameLength(yTrue, scores, 'roc_auc');
  checkScores(scores, 'y_score');
  const c = rocCurveFromMask(positiveMask(yTrue, positiveLabel), scores);
  return trapezoid(c.fpr, c.tpr);
}

/** The ROC curve points of a binary problem (for charts and checks). */
export function rocCurve(yTrue: readonly Label[], scores: ArrayLike<number>, positiveLabel?: Label): RocCurve {
  sameLength(yTrue, scores, 'roc_curve');
  checkScores(scores, 'y_score');
  return rocCurveFromMask(positiveMask(yTrue, positiveLabel), scores);
}

/**
 * Average precision Σ_n (R_n − R_{n−1})·P_n over decreasing thresholds, no interpolation
 * (sklearn.metrics.average_precision_score).
 * @throws MetricsError when y_true has no positive, lengths differ, or a score is not finite.
 */
export function averagePrecision(yTrue: readonly Label[], scores: ArrayLike<number>, positiveLabel?: Label): number {
  sameLength(yTrue, scores, 'average_precision');
  checkScores(scores, 'y_score');
  const c = binaryCurve(positiveMask(yTrue, positiveLabel), scores);
  const P = c.tps[c.tps.length - 1]!;
  if (P === 0) throw new MetricsError('average precision is undefined without positive samples');
  let ap = 0;
  let prevTp = 0;
  for (let i = 0; i < c.tps.length; i++) {
    const tp = c.tps[i]!;
    ap += ((tp - prevTp) / P) * (tp / (tp + c.fps[i]!));
    prevTp = tp;
  }
  return ap;
}

export interface OvrAuc {
  perClass: number[];
  macro: number;
  /** Weighted by each class's prevalence in y_true. */
  weighted: number;
}

/**
 * Multiclass one-vs-rest ROC AUC (roc_auc_score(multi_class='ovr')): the binary AUC of each
 * label's probability column against "is that label", averaged. `probabilities[i][j]` is the
 * probability of labels[j] for row i; rows must sum to 1 (as scikit-learn requires).
 * @throws MetricsError on shape mismatch, rows not summing to 1, or a class absent from y_true.
 */
export function rocAucOvr(yTrue: readonly Label[], probabilities: readonly ArrayLike<number>[], labels: readonly Label[]): OvrAuc {
  sameLength(yTrue, probabilities, 'roc_auc_ovr');
  checkLabels(yTrue, 'y_true');
  checkProbabilityRows(probabilities, labels.length);
  const k = labels.length;
  const perClass: number[] = [];
  const prevalence: number[] = [];
  for (let j = 0; j < k; j++) {
    const mask = yTrue.map((v) => v === labels[j]);
    const column = Float64Array.from(probabilities, (row) => row[j]!);
    const c = rocCurveFromMask(mask, column);
    perClass.push(trapezoid(c.fpr, c.tpr));
    prevalence.push(mask.filter(Boolean).length);
  }
  const total = prevalence.reduce((s, v) => s + v, 0);
  return {
    perClass,
    macro: perClass.reduce((s, v) => s + v, 0) / k,
    weighted: perClass.reduce((s, v, j) => s + (v * prevalence[j]!) / total, 0),
  };
}

/** Rows of k finite probabilities summing to 1 within scikit-learn's tolerance (numpy.allclose). */
export function checkProbabilityRows(probabilities: readonly ArrayLike<number>[], k: number): void {
  for (let i = 0; i < probabilities.length; i++) {
    const row = probabilities[i]!;
    if (row.length !== k) throw new MetricsError(`probability row ${i} has ${row.length} columns, expected ${k}`, { index: i });
    checkScores(row, `probability row ${i}`);
    let s = 0;
    for (let j = 0; j < k; j++) s += row[j]!;
    if (!(Math.abs(s - 1) <= 1e-8 + 1e-5)) throw new MetricsError(`probability row ${i} does not sum to 1`, { index: i, sum: s });
  }
}
