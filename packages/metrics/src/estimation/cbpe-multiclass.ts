import { MetricsError } from '../errors.js';
import { estimatedRocAuc } from './estimated-roc-auc.js';
import { calibrate, fitIsotonic, type IsotonicCalibrator } from './isotonic.js';
import { accuracySamplingError, estimateBand, f1SamplingError, samplingComponents, type BandedValue, type SamplingComponents } from './sampling-error.js';

/**
 * A multiclass classifier's data with classes as indices 0..C−1: `scores[c][i]` is row i's
 * score of class c.
 */
export interface MulticlassChunk {
  yPred: ArrayLike<number>;
  scores: readonly ArrayLike<number>[];
}

export interface MulticlassReference extends MulticlassChunk {
  yTrue: ArrayLike<number>;
}

export interface MulticlassCbpeModel {
  task: 'multiclass';
  /** One calibrator per class, fitted on (y_true == c, score_c). */
  calibrators: IsotonicCalibrator[];
  /** Accuracy components over all classes. */
  sampling: SamplingComponents;
  /** One-vs-rest components per class, for the macro F1 sampling error. */
  perClassSampling: SamplingComponents[];
}

/** Mergeable per-window sums: per class TP_c, FP_c, FN_c, and Σ p_ŷ. */
export interface MulticlassSums {
  rows: number;
  correct: number;
  tp: number[];
  fp: number[];
  fn: number[];
}

export interface ClassEstimate {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
  rocAuc: number;
}

export interface MulticlassEstimate {
  rows: number;
  accuracy: BandedValue;
  /** Macro averages; a 0/0 class counts as 0. */
  f1: BandedValue;
  precision: number;
  recall: number;
  /** Mean over classes of the one-vs-rest estimate; NaN when some class's is undefined. */
  rocAuc: number;
  perClass: ClassEstimate[];
}

function checkChunk(chunk: MulticlassChunk, classes: number, what: string, yTrue?: ArrayLike<number>): number {
  if (chunk.scores.length !== classes) throw new MetricsError(`${what}: ${chunk.scores.length} score columns for ${classes} classes`);
  const n = chunk.yPred.length;
  if (n === 0) throw new MetricsError(`${what}: no rows`);
  for (const s of chunk.scores) if (s.length !== n) throw new MetricsError(`${what}: columns differ in length`);
  if (yTrue && yTrue.length !== n) throw new MetricsError(`${what}: columns differ in length`);
  for (let i = 0; i < n; i++) {
    const p = chunk.yPred[i]!;
    if (!(Number.isInteger(p) && p >= 0 && p < classes)) throw new MetricsError(`${what}: prediction at row ${i + 1} is not one of the classes`);
    if (yTrue) {
      const t = yTrue[i]!;
      if (!(Number.isInteger(t) && t >= 0 && t < classes)) throw new MetricsError(`${what}: label at row ${i + 1} is not one of the classes`);
    }
    for (let c = 0; c < classes; c++) {
      const s = chunk.scores[c]![i]!;
      if (!(s >= 0 && s <= 1)) throw new MetricsError(`${what}: score of class ${c} at row ${i + 1} is ${Number.isNaN(s) ? 'missing' : s}, outside [0, 1]`);
    }
  }
  return n;
}

export function fitMulticlassCbpe(reference: MulticlassReference, classes: number): MulticlassCbpeModel {
  if (classes < 2) throw new MetricsError('multiclass estimation needs at least two classes');
  const n = checkChunk(reference, classes, 'reference', reference.yTrue);
  const calibrators: IsotonicCalibrator[] = [];
  const perClassSampling: SamplingComponents[] = [];
  for (let c = 0; c < classes; c++) {
    const isC = Float64Array.from({ length: n }, (_, i) => (reference.yTrue[i] === c ? 1 : 0));
    const predC = Float64Array.from({ length: n }, (_, i) => (reference.yPred[i] === c ? 1 : 0));
    calibrators.push(fitIsotonic(reference.scores[c]!, isC));
    perClassSampling.push(samplingComponents(isC, predC));
  }
  return { task: 'multiclass', calibrators, sampling: samplingComponents(reference.yTrue, reference.yPred), perClassSampling };
}

/**
 * Calibrated, row-normalised probabilities: `p[c][i]`. A row whose calibrated scores sum to
 * 0 keeps its raw scores divided by their sum.
 */
export function multiclassProbabilities(model: MulticlassCbpeModel, chunk: MulticlassChunk): Float64Array[] {
  const classes = model.calibrators.length;
  const n = checkChunk(chunk, classes, 'current');
  const p = model.calibrators.map((cal, c) => {
    const s = chunk.scores[c]!;
    return Float64Array.from({ length: n }, (_, i) => calibrate(cal, s[i]!));
  });
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += p[c]![i]!;
    if (sum === 0) {
      let raw = 0;
      for (let c = 0; c < classes; c++) raw += chunk.scores[c]![i]!;
      for (let c = 0; c < classes; c++) p[c]![i] = chunk.scores[c]![i]! / raw;
    } else {
      for (let c = 0; c < classes; c++) p[c]![i] = p[c]![i]! / sum;
    }
  }
  return p;
}

export function multiclassSums(p: readonly Float64Array[], yPred: ArrayLike<number>): MulticlassSums {
  const classes = p.length;
  const sums: MulticlassSums = { rows: yPred.length, correct: 0, tp: new Array<number>(classes).fill(0), fp: new Array<number>(classes).fill(0), fn: new Array<number>(classes).fill(0) };
  for (let i = 0; i < yPred.length; i++) {
    const k = yPred[i]!;
    sums.correct += p[k]![i]!;
    for (let c = 0; c < classes; c++) {
      const pc = p[c]![i]!;
      if (c === k) {
        sums.tp[c]! += pc;
        sums.fp[c]! += 1 - pc;
      } else {
        sums.fn[c]! += pc;
      }
    }
  }
  return sums;
}

export function mergeMulticlassSums(a: MulticlassSums, b: MulticlassSums): MulticlassSums {
  const add = (x: number[], y: number[]): number[] => x.map((v, i) => v + y[i]!);
  return { rows: a.rows + b.rows, correct: a.correct + b.correct, tp: add(a.tp, b.tp), fp: add(a.fp, b.fp), fn: add(a.fn, b.fn) };
}

const orZero = (a: number, b: number): number => (b === 0 ? 0 : a / b);

/** Estimates from the sums and the per-class ROC AUC estimates (computed elsewhere). */
export function finishMulticlassEstimate(model: MulticlassCbpeModel, sums: MulticlassSums, rocAucs: readonly number[]): MulticlassEstimate {
  const classes = sums.tp.length;
  const n = sums.rows;
  const perClass: ClassEstimate[] = [];
  let f1VarianceSum = 0;
  for (let c = 0; c < classes; c++) {
    const tp = sums.tp[c]!;
    const fp = sums.fp[c]!;
    const fn = sums.fn[c]!;
    perClass.push({ tp, fp, fn, precision: orZero(tp, tp + fp), recall: orZero(tp, tp + fn), f1: orZero(2 * tp, 2 * tp + fp + fn), rocAuc: rocAucs[c]! });
    f1VarianceSum += f1SamplingError(model.perClassSampling[c]!, n) ** 2;
  }
  const mean = (f: (e: ClassEstimate) => number): number => perClass.reduce((s, e) => s + f(e), 0) / classes;
  return {
    rows: n,
    accuracy: estimateBand(sums.correct / n, accuracySamplingError(model.sampling, n)),
    // NannyML's macro F1 sampling error: √(Σ SE_c²) / C.
    f1: estimateBand(mean((e) => e.f1), Math.sqrt(f1VarianceSum) / classes),
    precision: mean((e) => e.precision),
    recall: mean((e) => e.recall),
    rocAuc: mean((e) => e.rocAuc),
    perClass,
  };
}

/** CBPE on one chunk of a multiclass classifier, without labels. */
export function estimateMulticlass(model: MulticlassCbpeModel, chunk: MulticlassChunk): MulticlassEstimate {
  const p = multiclassProbabilities(model, chunk);
  const rocAucs = p.map((pc, c) => estimatedRocAuc(pc, chunk.scores[c]!));
  return finishMulticlassEstimate(model, multiclassSums(p, chunk.yPred), rocAucs);
}
