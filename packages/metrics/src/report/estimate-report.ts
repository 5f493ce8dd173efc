import { MetricsError } from '../errors.js';
import { estimateBinary, fitBinaryCbpe, type BinaryEstimate } from '../estimation/cbpe-binary.js';
import { estimateMulticlass, fitMulticlassCbpe, type MulticlassEstimate } from '../estimation/cbpe-multiclass.js';
import type { BandedValue } from '../estimation/sampling-error.js';
import { uniqueLabels, type Label } from '../performance/labels.js';
import { num } from './column-report.js';
import { inferTask } from './performance-report.js';
import type { PerformanceRoles } from './plan.js';
import type { EstimatedMetricReport, PerformanceEstimateReport } from './report.types.js';
import { isEncoded, parseNumber, toNumeric, type ColumnValues, type Table } from './table.js';

/** A label column as text (null = missing); numbers in JavaScript's shortest form. */
export function labelText(values: ColumnValues): (string | null)[] {
  if (values instanceof Float64Array) return Array.from(values, (v) => (Number.isNaN(v) ? null : String(v)));
  if (isEncoded(values)) return Array.from(values.codes, (c) => (c < 0 ? null : values.categories[c]!));
  return [...values];
}

/** Labels in scikit-learn's order: numerically when every label is a number, as strings otherwise. */
export function sortedLabels(texts: Iterable<string>): Label[] {
  const all = [...new Set(texts)];
  const numeric = all.every((t) => !Number.isNaN(parseNumber(t)));
  return numeric ? uniqueLabels(all.map(Number)) : uniqueLabels(all);
}

/** @throws MetricsError naming the column and row of a score outside [0, 1]. */
function scoreColumns(table: Table, names: readonly string[], what: string): Float64Array[] {
  return names.map((name) => {
    const values = toNumeric(table[name]!, name);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!Number.isNaN(v) && !(v >= 0 && v <= 1)) throw new MetricsError(`${what}: score column '${name}' holds ${v} at row ${i + 1}, outside [0, 1]`);
    }
    return values;
  });
}

interface Rows {
  labels: (string | null)[] | null;
  predictions: (string | null)[];
  scores: Float64Array[];
  keep: number[];
}

/** Rows with a prediction and every score (and, when `withLabels`, a label). */
function completeRows(table: Table, roles: PerformanceRoles, what: string, withLabels: boolean): Rows {
  const labels = withLabels ? labelText(table[roles.target]!) : null;
  const predictions = labelText(table[roles.prediction!]!);
  const scores = scoreColumns(table, roles.scores!, what);
  const keep: number[] = [];
  for (let i = 0; i < predictions.length; i++) {
    if (predictions[i] === null || (labels && labels[i] === null) || scores.some((s) => Number.isNaN(s[i]!))) continue;
    keep.push(i);
  }
  if (keep.length === 0) {
    throw new MetricsError(withLabels ? `${what}: no row has a label with its prediction and scores; estimating performance needs a labelled reference` : `${what}: no row has a prediction with its scores`);
  }
  return { labels, predictions, scores, keep };
}

const banded = (b: BandedValue): EstimatedMetricReport => ({ value: num(b.value), samplingError: num(b.samplingError), lower: num(b.lower), upper: num(b.upper) });

/**
 * CBPE of the current data: calibrators fitted on the labelled reference, estimates from the
 * current predictions and scores alone (a current target is never read).
 * @throws MetricsError when the reference lacks labels or scores, a score lies outside [0, 1],
 * a class has no score column, or a current prediction is not a reference class.
 */
export function computePerformanceEstimate(roles: PerformanceRoles, reference: Table, current: Table, warnings: string[]): PerformanceEstimateReport {
  const task = roles.task ?? inferTask(reference[roles.target]!, reference[roles.prediction!], roles.scores);
  if (task === 'regression') throw new MetricsError('performance estimation (CBPE) is for classifiers, not regression');
  const ref = completeRows(reference, roles, 'reference', true);
  const cur = completeRows(current, roles, 'current', false);
  const dropped = current[roles.prediction!] ? labelText(current[roles.prediction!]!).length - cur.keep.length : 0;
  if (dropped > 0) warnings.push(`performance estimate: ${dropped} current rows without a prediction or a score are left out`);
  const scoreNames = roles.scores!;
  // Labels, predictions and score column names compare as numbers when all are numbers ("1.0" = "1").
  const texts = [...ref.keep.map((i) => ref.labels![i]!), ...ref.keep.map((i) => ref.predictions[i]!), ...cur.keep.map((i) => cur.predictions[i]!)];
  const numeric = [...texts, ...(task === 'multiclass' ? scoreNames : [])].every((t) => !Number.isNaN(parseNumber(t)));
  const canonical = (t: string): string => (numeric ? String(Number(t)) : t);
  const refLabels = ref.keep.map((i) => canonical(ref.labels![i]!));
  const refPred = ref.keep.map((i) => canonical(ref.predictions[i]!));
  const curPred = cur.keep.map((i) => canonical(cur.predictions[i]!));

  if (task === 'binary') {
    const labels = sortedLabels([...refLabels, ...refPred]);
    if (labels.length > 2) throw new MetricsError(`reference: binary task but ${labels.length} labels; use --task multiclass`);
    const positive = labels[labels.length - 1]!;
    let column = 0;
    if (scoreNames.length === 2) {
      const j = scoreNames.findIndex((c) => (numeric && !Number.isNaN(parseNumber(c)) ? String(Number(c)) : c) === String(positive));
      if (j < 0) throw new MetricsError(`class '${String(positive)}' has no score column (scores: ${scoreNames.join(', ')})`);
      column = j;
    } else if (scoreNames.length > 2) {
      throw new MetricsError(`binary task but ${scoreNames.length} score columns; use --task multiclass`);
    }
    const isPositive = (t: string): number => (t === String(positive) ? 1 : 0);
    for (const p of curPred) {
      if (!labels.some((l) => String(l) === p)) throw new MetricsError(`current: prediction '${p}' is not a class of the reference (${labels.join(', ')})`);
    }
    const refScores = Float64Array.from(ref.keep, (i) => ref.scores[column]![i]!);
    const model = fitBinaryCbpe({ yTrue: refLabels.map(isPositive), yPred: refPred.map(isPositive), scores: refScores });
    const e: BinaryEstimate = estimateBinary(model, { scores: Float64Array.from(cur.keep, (i) => cur.scores[column]![i]!), yPred: curPred.map(isPositive) });
    return {
      method: 'cbpe',
      task,
      calibration: 'isotonic',
      rows: e.rows,
      metrics: {
        accuracy: banded(e.accuracy),
        f1: banded(e.f1),
        precision: { value: num(e.precision) },
        recall: { value: num(e.recall) },
        specificity: { value: num(e.specificity) },
        rocAuc: { value: num(e.rocAuc) },
      },
      positiveLabel: positive,
      labels,
    };
  }

  // Multiclass: one score column per class, named by its label.
  const classes = sortedLabels(scoreNames.map(canonical));
  const columnOf = new Map(scoreNames.map((name, j) => [canonical(name), j]));
  for (const l of new Set([...refLabels, ...refPred, ...curPred])) {
    if (!columnOf.has(l)) throw new MetricsError(`class '${l}' has no score column (scores: ${scoreNames.join(', ')})`);
  }
  const index = new Map(classes.map((l, c) => [String(l), c]));
  const toIndex = (labels: string[]): Int32Array => Int32Array.from(labels, (t) => index.get(t)!);
  const byClass = (rows: Rows): Float64Array[] => classes.map((l) => Float64Array.from(rows.keep, (i) => rows.scores[columnOf.get(String(l))!]![i]!));
  const model = fitMulticlassCbpe({ yTrue: toIndex(refLabels), yPred: toIndex(refPred), scores: byClass(ref) }, classes.length);
  const e: MulticlassEstimate = estimateMulticlass(model, { yPred: toIndex(curPred), scores: byClass(cur) });
  return {
    method: 'cbpe',
    task,
    calibration: 'isotonic',
    rows: e.rows,
    metrics: {
      accuracy: banded(e.accuracy),
      f1: banded(e.f1),
      precision: { value: num(e.precision) },
      recall: { value: num(e.recall) },
      rocAuc: { value: num(e.rocAuc) },
    },
    labels: classes,
  };
}
