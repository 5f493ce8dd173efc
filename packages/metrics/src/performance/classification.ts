import { MetricsError } from '../errors.js';
import { checkLabels, sameLength, uniqueLabels, type Label } from './labels.js';

export interface AveragedScores {
  precision: number;
  recall: number;
  f1: number;
}

export interface ClassificationMetrics {
  /** Label order of every per-class array and of the confusion matrix. */
  labels: Label[];
  /** confusionMatrix[i][j]: rows with true label i predicted as j. */
  confusionMatrix: number[][];
  accuracy: number;
  balancedAccuracy: number;
  matthewsCorrcoef: number;
  perClass: { precision: number[]; recall: number[]; f1: number[]; support: number[] };
  macro: AveragedScores;
  weighted: AveragedScores;
  micro: AveragedScores;
  /** Scores of the positive label (given, or the greater of exactly two labels). */
  binary?: AveragedScores & { positiveLabel: Label };
}

const divide = (num: number, den: number): number => (den === 0 ? 0 : num / den);

/**
 * Label metrics as scikit-learn with zero_division=0: accuracy, confusion matrix,
 * precision = tp/(tp+fp), recall = tp/(tp+fn), F1 = 2tp/(2tp+fp+fn), per class and
 * averaged (macro: unweighted mean; weighted: by support; micro: global counts), plus
 * balanced accuracy and the Matthews correlation coefficient.
 * Labels default to the sorted union of true and predicted labels.
 * @throws MetricsError on different lengths, empty input, missing labels, mixed label types,
 * or a label outside an explicit `labels` list.
 */
export function classificationMetrics(
  yTrue: readonly Label[],
  yPred: readonly Label[],
  options: { labels?: readonly Label[]; positiveLabel?: Label } = {},
): ClassificationMetrics {
  sameLength(yTrue, yPred, 'classification');
  checkLabels(yTrue, 'y_true');
  checkLabels(yPred, 'y_pred');
  const labels = options.labels ? [...options.labels] : uniqueLabels(yTrue, yPred);
  const index = new Map(labels.map((l, i) => [l, i]));
  const k = labels.length;
  const cm = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let correct = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const t = index.get(yTrue[i]!);
    const p = index.get(yPred[i]!);
    if (t === undefined || p === undefined) throw new MetricsError('a label is not in the given label list', { index: i });
    cm[t]![p]!++;
    if (t === p) correct++;
  }
  const n = yTrue.length;
  const tp = labels.map((_, i) => cm[i]![i]!);
  const support = cm.map((row) => row.reduce((s, v) => s + v, 0));
  const predicted = labels.map((_, j) => cm.reduce((s, row) => s + row[j]!, 0));
  const precision = tp.map((t, i) => divide(t, predicted[i]!));
  const recall = tp.map((t, i) => divide(t, support[i]!));
  const f1 = tp.map((t, i) => divide(2 * t, support[i]! + predicted[i]!));
  const mean = (x: number[]): number => x.reduce((s, v) => s + v, 0) / x.length;
  const totalSupport = support.reduce((s, v) => s + v, 0);
  const weightedMean = (x: number[]): number => divide(x.reduce((s, v, i) => s + v * support[i]!, 0), totalSupport);
  const sumTp = tp.reduce((s, v) => s + v, 0);
  const sumPred = predicted.reduce((s, v) => s + v, 0);
  const micro = { precision: divide(sumTp, sumPred), recall: divide(sumTp, totalSupport), f1: divide(2 * sumTp, sumPred + totalSupport) };

  const present = recall.filter((_, i) => support[i]! > 0);
  const covYtYp = correct * n - support.reduce((s, v, i) => s + v * predicted[i]!, 0);
  const covYpYp = n * n - predicted.reduce((s, v) => s + v * v, 0);
  const covYtYt = n * n - support.reduce((s, v) => s + v * v, 0);
  const result: ClassificationMetrics = {
    labels,
    confusionMatrix: cm,
    accuracy: correct / n,
    balancedAccuracy: mean(present),
    matthewsCorrcoef: covYpYp * covYtYt === 0 ? 0 : covYtYp / Math.sqrt(covYtYt * covYpYp),
    perClass: { precision, recall, f1, support },
    macro: { precision: mean(precision), recall: mean(recall), f1: mean(f1) },
    weighted: { precision: weightedMean(precision), recall: weightedMean(recall), f1: weightedMean(f1) },
    micro,
  };
  const positiveLabel = options.positiveLabel ?? (k === 2 ? labels[1] : undefined);
  if (positiveLabel !== undefined) {
    const i = index.get(positiveLabel);
    if (i === undefined) throw new MetricsError('the positive label does not occur');
    result.binary = { positiveLabel, precision: precision[i]!, recall: recall[i]!, f1: f1[i]! };
  }
  return result;
}
