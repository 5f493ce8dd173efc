import type { Table } from '../report/table.js';
import { finishEstimate, type BinaryCbpeModel } from './cbpe-binary.js';
import { finishMulticlassEstimate, mergeMulticlassSums, multiclassProbabilities, multiclassSums, type MulticlassCbpeModel, type MulticlassSums } from './cbpe-multiclass.js';
import { addToScoreHistogram, emptyScoreHistogram, estimatedRocAuc, estimatedRocAucOf, rocAucFromHistogram, SCORE_HISTOGRAM_BINS } from './estimated-roc-auc.js';
import { addExpectedConfusionRow, emptyExpectedConfusion, mergeExpectedConfusion, type ExpectedConfusion } from './expected-confusion.js';
import { canonicalColumn, numericColumn, type EstimatedPerformance, type FittedEstimator } from './fitted-model.js';
import { calibrate } from './isotonic.js';
import { mergeReconstructionSums, reconstructionResult, reconstructionSums, type ReconstructionSums } from './pca-drift.js';

/*
 * The mergeable state of a window's estimates: sums only (expected confusion sums, row counts,
 * reconstruction error sums and sums of squares, score histograms), so a day is the sum of its
 * hours and a rolling hour the sum of its minutes. Plain JSON.
 */

/** Non-empty bins of a score histogram (SCORE_HISTOGRAM_BINS equal-width bins over [0, 1]), ascending. */
export interface SparseScoreHistogram {
  bins: number[];
  count: number[];
  sumP: number[];
}

export interface CbpeWindowState {
  /** Rows estimated (a prediction of a reference class and every score in [0, 1]). */
  rows: number;
  /** Rows left out (no prediction, an unknown class, a missing or invalid score). */
  skipped: number;
  /** Binary: Σ over rows of the calibrated probability split by prediction. */
  confusion: ExpectedConfusion | null;
  /** Multiclass: per-class expected TP/FP/FN and Σ p of the predicted class. */
  sums: MulticlassSums | null;
  /** Per modelled class (binary: the positive one), Σ p and count per score bin: the streaming ROC AUC. */
  histograms: SparseScoreHistogram[];
}

export interface EstimateWindowState {
  /** The estimator the sums were made with: states of different estimators do not merge. */
  estimator: string;
  cbpe: CbpeWindowState | null;
  pca: ReconstructionSums | null;
}

export interface EstimatedValue {
  value: number;
  samplingError: number | null;
  lower: number | null;
  upper: number | null;
  thresholdLower: number | null;
  thresholdUpper: number | null;
}

export interface WindowEstimates {
  performance: {
    rows: number;
    values: Record<EstimatedPerformance, EstimatedValue>;
    /** Bound on |exact − streaming| of the estimated ROC AUC; 0 when computed exactly. */
    rocAucMaxError: number;
  } | null;
  reconstruction: { rows: number; error: number; samplingError: number | null; lower: number; upper: number; drifted: boolean } | null;
}

function toSparse(count: number[], sumP: number[]): SparseScoreHistogram {
  const h: SparseScoreHistogram = { bins: [], count: [], sumP: [] };
  for (let b = 0; b < count.length; b++) {
    if (count[b] === 0) continue;
    h.bins.push(b);
    h.count.push(count[b]!);
    h.sumP.push(sumP[b]!);
  }
  return h;
}

function mergeSparse(a: SparseScoreHistogram, b: SparseScoreHistogram): SparseScoreHistogram {
  const out: SparseScoreHistogram = { bins: [], count: [], sumP: [] };
  let i = 0;
  let j = 0;
  while (i < a.bins.length || j < b.bins.length) {
    const ba = i < a.bins.length ? a.bins[i]! : Infinity;
    const bb = j < b.bins.length ? b.bins[j]! : Infinity;
    if (ba === bb) {
      out.bins.push(ba);
      out.count.push(a.count[i]! + b.count[j]!);
      out.sumP.push(a.sumP[i++]! + b.sumP[j++]!);
    } else if (ba < bb) {
      out.bins.push(ba);
      out.count.push(a.count[i]!);
      out.sumP.push(a.sumP[i++]!);
    } else {
      out.bins.push(bb);
      out.count.push(b.count[j]!);
      out.sumP.push(b.sumP[j++]!);
    }
  }
  return out;
}

/** Two windows' states as one window's. When the estimators differ (the reference changed), the newer `b` is kept. */
export function mergeWindowStates(a: EstimateWindowState, b: EstimateWindowState): EstimateWindowState {
  if (a.estimator !== b.estimator) return b;
  return { estimator: a.estimator, cbpe: mergeCbpe(a.cbpe, b.cbpe), pca: a.pca && b.pca ? mergeReconstructionSums(a.pca, b.pca) : (a.pca ?? b.pca) };
}

function mergeCbpe(a: CbpeWindowState | null, b: CbpeWindowState | null): CbpeWindowState | null {
  if (!a || !b) return a ?? b;
  return {
    rows: a.rows + b.rows,
    skipped: a.skipped + b.skipped,
    confusion: a.confusion && b.confusion ? mergeExpectedConfusion(a.confusion, b.confusion) : (a.confusion ?? b.confusion),
    sums: a.sums && b.sums ? mergeMulticlassSums(a.sums, b.sums) : (a.sums ?? b.sums),
    histograms: a.histograms.map((h, c) => mergeSparse(h, b.histograms[c] ?? { bins: [], count: [], sumP: [] })),
  };
}

/**
 * The state of a window's rows (a table with the reference's column names) and the exact
 * estimated ROC AUC of those rows (NaN when undefined or without CBPE).
 */
export function windowStateOf(est: FittedEstimator, estimator: string, table: Table, rows: number): { state: EstimateWindowState; exactRocAuc: number } {
  const cbpe = est.cbpe ? cbpeState(est, table, rows) : null;
  let pca: ReconstructionSums | null = null;
  if (est.pca && rows > 0) {
    const p = est.pca;
    pca = reconstructionSums(p.model, {
      numerical: p.numerical.map((n) => numericColumn(table, n, rows)),
      categorical: p.categorical.map((n) => canonicalColumn(table[n], rows)),
    });
  }
  return { state: { estimator, cbpe: cbpe?.state ?? null, pca }, exactRocAuc: cbpe?.exactRocAuc ?? NaN };
}

function cbpeState(est: FittedEstimator, table: Table, rows: number): { state: CbpeWindowState; exactRocAuc: number } {
  const fitted = est.cbpe!;
  const predictions = canonicalColumn(table[est.roles.prediction], rows);
  const scores = fitted.scoreColumns.map((s) => numericColumn(table, s, rows));
  const classIndex = new Map(fitted.classes.map((c, i) => [c, i]));
  const keep: number[] = [];
  for (let i = 0; i < rows; i++) {
    const p = predictions[i];
    if (p === null || p === undefined || !classIndex.has(p)) continue;
    if (!scores.every((s) => s[i]! >= 0 && s[i]! <= 1)) continue;
    keep.push(i);
  }
  const classes = fitted.scoreColumns.length;
  const dense = Array.from({ length: classes }, () => emptyScoreHistogram());
  const state: CbpeWindowState = { rows: keep.length, skipped: rows - keep.length, confusion: null, sums: null, histograms: [] };
  let exactRocAuc = NaN;
  if (fitted.task === 'binary') {
    const model = fitted.model as BinaryCbpeModel;
    const positive = fitted.classes[fitted.classes.length - 1]!;
    const confusion = emptyExpectedConfusion();
    const s = scores[0]!;
    const kept = new Float64Array(keep.length);
    keep.forEach((i, k) => {
      const p = calibrate(model.calibrator, s[i]!);
      addExpectedConfusionRow(confusion, p, predictions[i] === positive ? 1 : 0);
      addToScoreHistogram(dense[0]!, s[i]!, p);
      kept[k] = s[i]!;
    });
    state.confusion = confusion;
    if (keep.length > 0) exactRocAuc = estimatedRocAucOf((x) => calibrate(model.calibrator, x), kept);
  } else if (keep.length > 0) {
    const model = fitted.model as MulticlassCbpeModel;
    const chunk = { yPred: Int32Array.from(keep, (i) => classIndex.get(predictions[i]!)!), scores: scores.map((s) => Float64Array.from(keep, (i) => s[i]!)) };
    const p = multiclassProbabilities(model, chunk);
    state.sums = multiclassSums(p, chunk.yPred);
    for (let c = 0; c < classes; c++) for (let k = 0; k < keep.length; k++) addToScoreHistogram(dense[c]!, chunk.scores[c]![k]!, p[c]![k]!);
    exactRocAuc = p.reduce((sum, pc, c) => sum + estimatedRocAuc(pc, chunk.scores[c]!), 0) / classes;
  } else {
    state.sums = { rows: 0, correct: 0, tp: new Array<number>(classes).fill(0), fp: new Array<number>(classes).fill(0), fn: new Array<number>(classes).fill(0) };
  }
  state.histograms = dense.map((h) => toSparse(h.count, h.sumP));
  return { state, exactRocAuc };
}

/**
 * The window's estimates from its state. `exactRocAuc` (closed windows, from the raw scores)
 * replaces the streaming approximation of the estimated ROC AUC.
 */
export function windowEstimates(est: FittedEstimator, state: EstimateWindowState, exactRocAuc?: number): WindowEstimates {
  return { performance: performanceOf(est, state.cbpe, exactRocAuc), reconstruction: reconstructionOf(est, state.pca) };
}

interface BandedOrPlain {
  value: number;
  samplingError: number | null;
  lower: number | null;
  upper: number | null;
}

function performanceOf(est: FittedEstimator, s: CbpeWindowState | null, exactRocAuc: number | undefined): WindowEstimates['performance'] {
  const fitted = est.cbpe;
  if (!fitted || !s || s.rows === 0) return null;
  let rocAuc = exactRocAuc;
  let rocAucMaxError = 0;
  if (rocAuc === undefined) {
    const approx = s.histograms.map((h) => {
      const dense = emptyScoreHistogram(SCORE_HISTOGRAM_BINS);
      h.bins.forEach((b, k) => {
        dense.count[b] = h.count[k]!;
        dense.sumP[b] = h.sumP[k]!;
      });
      return rocAucFromHistogram(dense);
    });
    rocAuc = approx.reduce((a, r) => a + r.value, 0) / approx.length;
    rocAucMaxError = approx.reduce((a, r) => a + r.maxError, 0) / approx.length;
  }
  const plain = (value: number): BandedOrPlain => ({ value, samplingError: null, lower: null, upper: null });
  let raw: Record<EstimatedPerformance, BandedOrPlain>;
  if (fitted.task === 'binary') {
    const e = finishEstimate((fitted.model as BinaryCbpeModel).sampling, s.confusion!, rocAuc);
    raw = {
      accuracy: e.accuracy,
      precision: plain(e.precision),
      recall: plain(e.recall),
      f1: e.f1,
      rocAuc: plain(e.rocAuc),
    };
  } else {
    const model = fitted.model as MulticlassCbpeModel;
    // The per-class ROC AUCs enter only the macro mean, already taken.
    const e = finishMulticlassEstimate(model, s.sums!, model.calibrators.map(() => rocAuc!));
    raw = {
      accuracy: e.accuracy,
      precision: plain(e.precision),
      recall: plain(e.recall),
      f1: e.f1,
      rocAuc: plain(rocAuc),
    };
  }
  const values = Object.fromEntries(
    Object.entries(raw).map(([m, v]) => {
      const t = fitted.thresholds[m as EstimatedPerformance];
      const banded = v.samplingError !== null && Number.isFinite(v.samplingError);
      return [
        m,
        {
          value: v.value,
          samplingError: banded ? v.samplingError : null,
          lower: banded ? v.lower : null,
          upper: banded ? v.upper : null,
          thresholdLower: t?.lower ?? null,
          thresholdUpper: t?.upper ?? null,
        },
      ];
    }),
  ) as Record<EstimatedPerformance, EstimatedValue>;
  return { rows: s.rows, values, rocAucMaxError };
}

function reconstructionOf(est: FittedEstimator, sums: ReconstructionSums | null): WindowEstimates['reconstruction'] {
  if (!est.pca || !sums || sums.rows === 0) return null;
  const r = reconstructionResult(est.pca.model, sums);
  return {
    rows: r.rows,
    error: r.error,
    samplingError: Number.isFinite(r.samplingError) ? r.samplingError : null,
    lower: est.pca.model.lower,
    upper: est.pca.model.upper,
    drifted: r.drifted,
  };
}
