import { MetricsError } from '../errors.js';
import { labelText, sortedLabels } from '../report/estimate-report.js';
import { parseNumber, toNumeric, type ColumnValues, type Table } from '../report/table.js';
import { fitBinaryCbpe, type BinaryCbpeModel } from './cbpe-binary.js';
import { finishMulticlassEstimate, fitMulticlassCbpe, multiclassSums, type MulticlassCbpeModel } from './cbpe-multiclass.js';
import { estimatedRocAuc } from './estimated-roc-auc.js';
import { binaryRates, expectedConfusion } from './expected-confusion.js';
import { fitPcaDrift, type PcaDriftModel } from './pca-drift.js';
import type { PcaColumns } from './pca-reconstruction.js';

/*
 * The estimators a model's labelled reference yields, fitted once with its profile and stored
 * as plain JSON: CBPE (calibrators, sampling-error components, the band the realized metrics
 * kept over the reference's chunks) and the PCA reconstruction pipeline with its thresholds.
 * Windows are then estimated from events alone (window-state.ts).
 */

/** Table columns the estimators read: the model's roles and its features by kind. */
export interface EstimatorRoles {
  target: string;
  prediction: string;
  /** Score columns: one (the positive class's) for a binary model, one per class (named by it) otherwise. */
  scores: readonly string[];
  numerical: readonly string[];
  categorical: readonly string[];
}

/** Realized metric band over the reference's chunks: mean ± 3 population std, clipped to [0, 1]. */
export interface ReferenceBand {
  lower: number;
  upper: number;
}

export const ESTIMATED_PERFORMANCE = ['accuracy', 'precision', 'recall', 'f1', 'rocAuc'] as const;
export type EstimatedPerformance = (typeof ESTIMATED_PERFORMANCE)[number];

export interface FittedCbpe {
  task: 'binary' | 'multiclass';
  /** Classes as canonical text, in scikit-learn order; binary: the positive class is the last. */
  classes: string[];
  /** The score column of each modelled class: binary, the positive class's only. */
  scoreColumns: string[];
  model: BinaryCbpeModel | MulticlassCbpeModel;
  /** Per metric, the band of the realized metric over reference chunks; null with fewer than two defined chunks. */
  thresholds: Record<EstimatedPerformance, ReferenceBand | null>;
}

export interface FittedPca {
  numerical: string[];
  categorical: string[];
  model: PcaDriftModel;
}

export interface FittedEstimator {
  version: 1;
  /** Reference rows the estimators were fitted on. */
  rows: number;
  /** The table columns read, in reference and windows alike. */
  roles: EstimatorRoles;
  /** Rows per reference chunk (thresholds). */
  chunkSize: number;
  cbpe: FittedCbpe | null;
  pca: FittedPca | null;
  /** Why an estimator could not be fitted (no labels, no scores, …). */
  notes: string[];
}

/** A label as one text whatever its source: numbers in their shortest form ("1.0" and 1 are "1"). */
export function canonicalLabel(text: string): string {
  const v = parseNumber(text);
  return Number.isNaN(v) ? text : String(v);
}

export function canonicalColumn(values: ColumnValues | undefined, rows: number): (string | null)[] {
  if (!values) return new Array<string | null>(rows).fill(null);
  return labelText(values).map((t) => (t === null ? null : canonicalLabel(t)));
}

export function numericColumn(table: Table, name: string, rows: number): Float64Array {
  const values = table[name];
  return values ? toNumeric(values, name) : new Float64Array(rows).fill(NaN);
}

/** Default rows per reference chunk: a tenth of the reference, at least one. */
export function defaultChunkSize(rows: number): number {
  return Math.max(1, Math.floor(rows / 10));
}

/**
 * Fits what the reference allows: CBPE needs labels, predictions and scores (in [0, 1]); the
 * PCA pipeline needs features. What cannot be fitted is null, with the reason in `notes`.
 */
export function fitEstimator(reference: Table, rows: number, roles: EstimatorRoles, chunkSize = defaultChunkSize(rows)): FittedEstimator {
  const notes: string[] = [];
  let cbpe: FittedCbpe | null = null;
  let pca: FittedPca | null = null;
  try {
    cbpe = fitCbpe(reference, rows, roles, chunkSize);
  } catch (err) {
    if (!(err instanceof MetricsError)) throw err;
    notes.push(`performance estimation: ${err.message}`);
  }
  try {
    pca = fitPca(reference, rows, roles, chunkSize);
  } catch (err) {
    if (!(err instanceof MetricsError)) throw err;
    notes.push(`multivariate drift: ${err.message}`);
  }
  return { version: 1, rows, roles: { ...roles, scores: [...roles.scores], numerical: [...roles.numerical], categorical: [...roles.categorical] }, chunkSize, cbpe, pca, notes };
}

function fitPca(reference: Table, rows: number, roles: EstimatorRoles, chunkSize: number): FittedPca | null {
  if (roles.numerical.length + roles.categorical.length === 0) throw new MetricsError('the model has no feature column');
  const columns: PcaColumns = {
    numerical: roles.numerical.map((n) => numericColumn(reference, n, rows)),
    categorical: roles.categorical.map((n) => canonicalColumn(reference[n], rows)),
  };
  return { numerical: [...roles.numerical], categorical: [...roles.categorical], model: fitPcaDrift(columns, chunkSize) };
}

/** The reference rows usable for CBPE: label, prediction and every score present, scores in [0, 1]. */
interface LabelledRows {
  labels: string[];
  predictions: string[];
  scores: Float64Array[];
}

function labelledRows(reference: Table, rows: number, roles: EstimatorRoles): LabelledRows {
  if (!reference[roles.target]) throw new MetricsError('the reference has no labels');
  if (!reference[roles.prediction]) throw new MetricsError('the reference has no predictions');
  if (roles.scores.length === 0 || roles.scores.some((s) => !reference[s])) throw new MetricsError('the reference has no scores');
  const labels = canonicalColumn(reference[roles.target], rows);
  const predictions = canonicalColumn(reference[roles.prediction], rows);
  const scores = roles.scores.map((s) => numericColumn(reference, s, rows));
  const out: LabelledRows = { labels: [], predictions: [], scores: scores.map(() => new Float64Array(rows)) };
  let k = 0;
  for (let i = 0; i < rows; i++) {
    const l = labels[i];
    const p = predictions[i];
    if (l === null || l === undefined || p === null || p === undefined) continue;
    if (!scores.every((s) => s[i]! >= 0 && s[i]! <= 1)) continue;
    out.labels.push(l);
    out.predictions.push(p);
    scores.forEach((s, c) => (out.scores[c]![k] = s[i]!));
    k++;
  }
  if (k === 0) throw new MetricsError('no reference row has a label with its prediction and scores in [0, 1]');
  out.scores = out.scores.map((s) => s.slice(0, k));
  return out;
}

function fitCbpe(reference: Table, rows: number, roles: EstimatorRoles, chunkSize: number): FittedCbpe {
  const ref = labelledRows(reference, rows, roles);
  const classes = sortedLabels([...ref.labels, ...ref.predictions]).map(String);
  if (classes.length < 2) throw new MetricsError(`the reference holds one class only ('${classes[0]}')`);
  const scoreNames = roles.scores.map(canonicalLabel);
  const n = ref.labels.length;
  const chunks = Math.floor(n / Math.min(chunkSize, n));
  const size = Math.floor(n / chunks);
  if (roles.scores.length <= 2 && classes.length <= 2) {
    const positive = classes[classes.length - 1]!;
    let column = 0;
    if (roles.scores.length === 2) {
      column = scoreNames.indexOf(positive);
      if (column < 0) throw new MetricsError(`class '${positive}' has no score column`);
    }
    const yTrue = Float64Array.from(ref.labels, (l) => (l === positive ? 1 : 0));
    const yPred = Float64Array.from(ref.predictions, (l) => (l === positive ? 1 : 0));
    const scores = ref.scores[column]!;
    const model = fitBinaryCbpe({ yTrue, yPred, scores });
    const realized = (from: number, to: number): Record<EstimatedPerformance, number> => {
      const r = binaryRates(expectedConfusion(yTrue.subarray(from, to), yPred.subarray(from, to)));
      return { accuracy: r.accuracy, precision: r.precision, recall: r.recall, f1: r.f1, rocAuc: estimatedRocAuc(yTrue.subarray(from, to), scores.subarray(from, to)) };
    };
    return { task: 'binary', classes, scoreColumns: [roles.scores[column]!], model, thresholds: chunkBands(realized, chunks, size) };
  }
  const columnOf = new Map(scoreNames.map((name, j) => [name, j]));
  for (const c of classes) if (!columnOf.has(c)) throw new MetricsError(`class '${c}' has no score column`);
  const modelled = sortedLabels(scoreNames).map(String);
  const index = new Map(modelled.map((c, i) => [c, i]));
  const yTrue = Int32Array.from(ref.labels, (l) => index.get(l)!);
  const yPred = Int32Array.from(ref.predictions, (l) => index.get(l)!);
  const scores = modelled.map((c) => ref.scores[columnOf.get(c)!]!);
  const model = fitMulticlassCbpe({ yTrue, yPred, scores }, modelled.length);
  const realized = (from: number, to: number): Record<EstimatedPerformance, number> => {
    const oneHot = modelled.map((_, c) => Float64Array.from(yTrue.subarray(from, to), (t) => (t === c ? 1 : 0)));
    const rocAucs = oneHot.map((p, c) => estimatedRocAuc(p, scores[c]!.subarray(from, to)));
    const e = finishMulticlassEstimate(model, multiclassSums(oneHot, yPred.subarray(from, to)), rocAucs);
    return { accuracy: e.accuracy.value, precision: e.precision, recall: e.recall, f1: e.f1.value, rocAuc: e.rocAuc };
  };
  return {
    task: 'multiclass',
    classes: modelled,
    scoreColumns: modelled.map((c) => roles.scores[columnOf.get(c)!]!),
    model,
    thresholds: chunkBands(realized, chunks, size),
  };
}

/** Per metric: mean ± 3 population std of its value over `chunks` consecutive chunks of `size` rows (undefined chunks left out). */
function chunkBands(realized: (from: number, to: number) => Record<EstimatedPerformance, number>, chunks: number, size: number): Record<EstimatedPerformance, ReferenceBand | null> {
  const values = Object.fromEntries(ESTIMATED_PERFORMANCE.map((m) => [m, [] as number[]])) as Record<EstimatedPerformance, number[]>;
  for (let k = 0; k < chunks; k++) {
    const r = realized(k * size, (k + 1) * size);
    for (const m of ESTIMATED_PERFORMANCE) if (Number.isFinite(r[m])) values[m].push(r[m]);
  }
  const band = (v: number[]): ReferenceBand | null => {
    if (v.length < 2) return null;
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
    return { lower: Math.max(0, mean - 3 * std), upper: Math.min(1, mean + 3 * std) };
  };
  return Object.fromEntries(ESTIMATED_PERFORMANCE.map((m) => [m, band(values[m])])) as Record<EstimatedPerformance, ReferenceBand | null>;
}
