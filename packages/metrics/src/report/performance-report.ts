import { DISTINCT_VALUE_BIN_LIMIT } from '../drift/binning.js';
import { MetricsError } from '../errors.js';
import { classificationMetrics } from '../performance/classification.js';
import { uniqueLabels, type Label } from '../performance/labels.js';
import { binaryLogLoss, logLoss } from '../performance/probabilistic.js';
import { regressionMetrics } from '../performance/regression.js';
import { rocAuc, rocAucOvr } from '../performance/roc-auc.js';
import { num } from './column-report.js';
import type { PerformanceRoles } from './plan.js';
import type { ClassificationReport, Num, PerformanceReport, RegressionReport, Task } from './report.types.js';
import { inferColumnType, isEncoded, toNumeric, type ColumnValues, type Table } from './table.js';

/** Labels of a column; null = missing. Numbers stay numbers unless `asStrings`. */
function labelsOf(values: ColumnValues, asStrings: boolean): (Label | null)[] {
  if (values instanceof Float64Array) return Array.from(values, (v) => (Number.isNaN(v) ? null : asStrings ? String(v) : v));
  if (isEncoded(values)) return Array.from(values.codes, (c) => (c < 0 ? null : values.categories[c]!));
  return [...values];
}

/**
 * The task when not given: regression for a numerical target with non-integer values or
 * more than 20 distinct values (unless per-class scores say classification); otherwise
 * binary for at most two labels over target and prediction, multiclass above.
 */
export function inferTask(target: ColumnValues, prediction: ColumnValues | undefined, scores: string | readonly string[] | null): Task {
  if (typeof scores === 'string') scores = [scores];
  if (scores !== null && scores.length > 2) return 'multiclass';
  if (scores === null && inferColumnType(target) === 'numerical') {
    const values = toNumeric(target, 'target');
    const distinct = new Set<number>();
    for (const v of values) {
      if (Number.isNaN(v)) continue;
      if (!Number.isInteger(v)) return 'regression';
      distinct.add(v);
      if (distinct.size > DISTINCT_VALUE_BIN_LIMIT) return 'regression';
    }
  }
  const labels = new Set<string>();
  for (const column of prediction ? [target, prediction] : [target]) {
    for (const v of labelsOf(column, true)) if (v !== null) labels.add(String(v));
  }
  return labels.size <= 2 && (scores === null || scores.length <= 2) ? 'binary' : 'multiclass';
}

interface Collected {
  task: Task;
  warnings: string[];
}

/**
 * Performance on one table (rows where the target, prediction and every score are present).
 * Returns null when the table lacks the target or both prediction and scores.
 */
function evaluate(table: Table, roles: PerformanceRoles, task: Task, what: string, out: Collected): ClassificationReport | RegressionReport | null {
  const target = table[roles.target];
  const prediction = roles.prediction !== null ? table[roles.prediction] : undefined;
  const scoreColumns = roles.scores?.map((c) => table[c]);
  if (target === undefined || (prediction === undefined && roles.prediction !== null)) return null;
  if (scoreColumns?.some((c) => c === undefined)) return null;
  const scores = (scoreColumns ?? []).map((c, i) => toNumeric(c!, roles.scores![i]!));

  if (task === 'regression') {
    if (!prediction) throw new MetricsError('regression needs a prediction column');
    const y = toNumeric(target, roles.target);
    const p = toNumeric(prediction, roles.prediction!);
    const keep: number[] = [];
    for (let i = 0; i < y.length; i++) if (!Number.isNaN(y[i]!) && !Number.isNaN(p[i]!)) keep.push(i);
    if (keep.length === 0) throw new MetricsError(`${what}: no row has both a target and a prediction`);
    const m = regressionMetrics(Float64Array.from(keep, (i) => y[i]!), Float64Array.from(keep, (i) => p[i]!));
    return { rows: keep.length, mae: m.mae, rmse: m.rmse, mape: m.mape, r2: m.r2, meanError: m.meanError };
  }

  // Labels compare as numbers when both columns are numerical, as strings otherwise.
  const numeric = inferColumnType(target) === 'numerical' && (!prediction || inferColumnType(prediction) === 'numerical');
  const yAll = numeric ? Array.from(toNumeric(target, roles.target), (v) => (Number.isNaN(v) ? null : v)) : labelsOf(target, true);
  const pAll = prediction
    ? numeric
      ? Array.from(toNumeric(prediction, roles.prediction!), (v) => (Number.isNaN(v) ? null : v))
      : labelsOf(prediction, true)
    : null;
  const keep: number[] = [];
  for (let i = 0; i < yAll.length; i++) {
    if (yAll[i] === null || (pAll && pAll[i] === null) || scores.some((s) => Number.isNaN(s[i]!))) continue;
    keep.push(i);
  }
  if (keep.length === 0) throw new MetricsError(`${what}: no row has a target with its prediction and scores`);
  const yTrue = keep.map((i) => yAll[i]!);
  const scoreLabel = (column: string): Label => (numeric ? Number(column) : column);

  if (task === 'binary') {
    const labels = uniqueLabels(yTrue, pAll ? keep.map((i) => pAll[i]!) : []);
    if (labels.length > 2) throw new MetricsError(`${what}: binary task but ${labels.length} labels; use --task multiclass`);
    let positive = labels[labels.length - 1]!;
    let positiveScores: Float64Array | undefined;
    if (scores.length === 1) positiveScores = scores[0];
    else if (scores.length === 2) {
      // Two class columns: the one named after the positive (greater) label.
      const j = roles.scores!.findIndex((c) => String(scoreLabel(c)) === String(positive));
      positiveScores = scores[j >= 0 ? j : 1];
      if (j < 0) positive = scoreLabel(roles.scores![1]!);
    }
    const positiveProbability = positiveScores ? Float64Array.from(keep, (i) => positiveScores[i]!) : undefined;
    let yPred: Label[];
    if (pAll) yPred = keep.map((i) => pAll[i]!);
    else {
      if (labels.length !== 2) throw new MetricsError(`${what}: predictions cannot be derived from scores when the target has one label`);
      const negative = labels[0]!;
      yPred = Array.from(positiveProbability!, (s) => (s >= 0.5 ? positive : negative));
    }
    const all = uniqueLabels(yTrue, yPred);
    const m = classificationMetrics(yTrue, yPred, { labels: all, positiveLabel: all.includes(positive) ? positive : all[all.length - 1]! });
    const negative = all.find((l) => l !== positive) ?? (typeof positive === 'number' ? (positive === 1 ? 0 : positive - 1) : `not ${positive}`);
    return {
      rows: keep.length,
      accuracy: m.accuracy,
      precision: m.binary!.precision,
      recall: m.binary!.recall,
      f1: m.binary!.f1,
      rocAuc: positiveProbability ? guarded(() => rocAuc(yTrue, positiveProbability, positive), 'ROC AUC', what, out) : null,
      logLoss: positiveProbability
        ? guarded(() => binaryLogLoss(yTrue, positiveProbability, [negative, positive] as [Label, Label]), 'log loss', what, out)
        : null,
      labels: m.labels,
      confusionMatrix: m.confusionMatrix,
      positiveLabel: m.binary!.positiveLabel,
    };
  }

  if (!pAll) throw new MetricsError('multiclass performance needs a prediction column');
  const yPred = keep.map((i) => pAll[i]!);
  const m = classificationMetrics(yTrue, yPred);
  let rocAucMacro: Num = null;
  let perClassAuc: Num[] = m.labels.map(() => null);
  let logLossValue: Num = null;
  if (scores.length > 1) {
    const scoreLabels = roles.scores!.map(scoreLabel);
    const rows = keep.map((i) => Float64Array.from(scores, (s) => s[i]!));
    logLossValue = guarded(() => logLoss(yTrue, rows, scoreLabels), 'log loss', what, out);
    const ovr = guardedValue(() => rocAucOvr(yTrue, rows, scoreLabels), 'ROC AUC', what, out);
    if (ovr) {
      rocAucMacro = num(ovr.macro);
      perClassAuc = m.labels.map((l) => {
        const j = scoreLabels.findIndex((s) => s === l);
        return j >= 0 ? num(ovr.perClass[j]) : null;
      });
    }
  }
  return {
    rows: keep.length,
    accuracy: m.accuracy,
    precision: m.macro.precision,
    recall: m.macro.recall,
    f1: m.macro.f1,
    rocAuc: rocAucMacro,
    logLoss: logLossValue,
    labels: m.labels,
    confusionMatrix: m.confusionMatrix,
    perClass: m.labels.map((label, i) => ({
      label,
      precision: m.perClass.precision[i]!,
      recall: m.perClass.recall[i]!,
      f1: m.perClass.f1[i]!,
      support: m.perClass.support[i]!,
      rocAuc: perClassAuc[i] ?? null,
    })),
  };
}

/** A probabilistic metric the data does not define (one class only, rows not summing to 1) is null with a warning. */
function guardedValue<T>(f: () => T, metric: string, what: string, out: Collected): T | null {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof MetricsError)) throw e;
    out.warnings.push(`${what}: ${metric} not computed: ${e.message}`);
    return null;
  }
}

function guarded(f: () => number, metric: string, what: string, out: Collected): Num {
  const v = guardedValue(f, metric, what, out);
  return v === null ? null : num(v);
}

/** Performance on the current table, and on the reference when it has the same columns. */
export function computePerformance(roles: PerformanceRoles, reference: Table, current: Table, warnings: string[]): PerformanceReport {
  const target = current[roles.target]!;
  const prediction = roles.prediction !== null ? current[roles.prediction] : undefined;
  const task = roles.task ?? inferTask(target, prediction, roles.scores);
  const out: Collected = { task, warnings };
  const cur = evaluate(current, roles, task, 'current', out)!;
  // The reference's performance is optional: a reference without ground truth has none.
  let ref: ReturnType<typeof evaluate>;
  try {
    ref = evaluate(reference, roles, task, 'reference', out);
  } catch (e) {
    if (!(e instanceof MetricsError)) throw e;
    warnings.push(`reference performance not computed: ${e.message}`);
    ref = null;
  }
  return {
    task,
    target: roles.target,
    prediction: roles.prediction,
    scores: roles.scores,
    current: cur,
    ...(ref ? { reference: ref } : {}),
  };
}
