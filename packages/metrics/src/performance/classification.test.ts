import { describe, expect, it } from 'vitest';
import { classificationMetrics } from './classification.js';
import type { Label } from './labels.js';
import { binaryBrierScore, binaryLogLoss, brierScore, logLoss } from './probabilistic.js';
import { averagePrecision, rocAuc, rocAucOvr, rocCurve } from './roc-auc.js';
import { MetricsError } from '../errors.js';
import { CLOSED_FORM, cases, expectClose, loadReference, num, nums, obj, type RefObject, type RefValue } from '../test/reference.js';

// Expected values: scikit-learn 1.9 with zero_division=0 (classification.json).
const ref = loadReference('classification.json');

const close = (got: number, e: RefObject, key: string): void => expectClose(got, num(e[key]), CLOSED_FORM, key, 1e-15);
const closeAll = (got: readonly number[], expected: RefValue | undefined, what: string): void => {
  const want = nums(expected);
  expect(got.length, what).toBe(want.length);
  got.forEach((v, i) => expectClose(v, want[i]!, CLOSED_FORM, `${what}[${i}]`, 1e-15));
};

describe('classification metrics match scikit-learn', () => {
  for (const c of cases(ref)) {
    const inputs = obj(c.inputs);
    const e = obj(c.expected);
    const yTrue = inputs.y_true as Label[];
    const lm = obj(e.label_metrics);
    const pm = obj(e.probability_metrics);

    if (inputs.y_score !== undefined) {
      const scores = Float64Array.from(nums(inputs.y_score));
      it(`${String(c.id)}: thresholded label metrics`, () => {
        const yPred = Array.from(scores, (s) => (s >= 0.5 ? 1 : 0));
        expect(yPred).toEqual(e.y_pred);
        const m = classificationMetrics(yTrue, yPred, { labels: [0, 1], positiveLabel: 1 });
        expect(m.confusionMatrix).toEqual(lm.confusion_matrix_labels_0_1);
        close(m.accuracy, lm, 'accuracy');
        close(m.balancedAccuracy, lm, 'balanced_accuracy');
        close(m.matthewsCorrcoef, lm, 'matthews_corrcoef');
        for (const avg of ['binary', 'macro', 'micro', 'weighted'] as const) {
          const s = m[avg]!;
          close(s.precision, lm, `precision_${avg}`);
          close(s.recall, lm, `recall_${avg}`);
          close(s.f1, lm, `f1_${avg}`);
        }
        closeAll(m.perClass.precision, lm.precision_per_class, 'precision');
        closeAll(m.perClass.recall, lm.recall_per_class, 'recall');
        closeAll(m.perClass.f1, lm.f1_per_class, 'f1');
        expect(m.perClass.support).toEqual(lm.support_per_class);
      });

      it(`${String(c.id)}: ROC AUC with tied scores, average precision, log loss, Brier`, () => {
        close(rocAuc(yTrue, scores), pm, 'roc_auc');
        close(averagePrecision(yTrue, scores), pm, 'average_precision');
        close(binaryLogLoss(yTrue, scores, [0, 1]), pm, 'log_loss');
        close(binaryBrierScore(yTrue, scores, 1), pm, 'brier_score');
        if (pm.roc_curve_no_drop !== undefined) {
          const curve = obj(pm.roc_curve_no_drop);
          const got = rocCurve(yTrue, scores);
          closeAll(Array.from(got.fpr), curve.fpr, 'fpr');
          closeAll(Array.from(got.tpr), curve.tpr, 'tpr');
          expect(Array.from(got.thresholds)).toEqual(nums(curve.thresholds));
        }
      });
    } else {
      const proba = (inputs.y_proba as RefValue[]).map((row) => Float64Array.from(nums(row)));
      const labels = inputs.labels as Label[];
      it(`${String(c.id)}: argmax label metrics`, () => {
        const yPred = proba.map((row) => labels[row.indexOf(Math.max(...row))]!);
        expect(yPred).toEqual(e.y_pred);
        const m = classificationMetrics(yTrue, yPred, { labels });
        expect(m.confusionMatrix).toEqual(lm.confusion_matrix);
        close(m.accuracy, lm, 'accuracy');
        close(m.balancedAccuracy, lm, 'balanced_accuracy');
        close(m.matthewsCorrcoef, lm, 'matthews_corrcoef');
        for (const avg of ['macro', 'micro', 'weighted'] as const) {
          close(m[avg].precision, lm, `precision_${avg}`);
          close(m[avg].recall, lm, `recall_${avg}`);
          close(m[avg].f1, lm, `f1_${avg}`);
        }
        closeAll(m.perClass.precision, lm.precision_per_class, 'precision');
        closeAll(m.perClass.recall, lm.recall_per_class, 'recall');
        closeAll(m.perClass.f1, lm.f1_per_class, 'f1');
        expect(m.perClass.support).toEqual(lm.support_per_class);
      });

      it(`${String(c.id)}: one-vs-rest ROC AUC, log loss, Brier`, () => {
        const auc = rocAucOvr(yTrue, proba, labels);
        close(auc.macro, pm, 'roc_auc_ovr_macro');
        close(auc.weighted, pm, 'roc_auc_ovr_weighted');
        closeAll(auc.perClass, pm.roc_auc_ovr_per_class, 'ovr per class');
        close(logLoss(yTrue, proba, labels), pm, 'log_loss');
        close(brierScore(yTrue, proba, labels), pm, 'brier_score_multiclass');
      });
    }
  }
});

describe('classification edge cases', () => {
  it('orders string labels and keeps a class never predicted with zero precision', () => {
    const m = classificationMetrics(['cat', 'dog', 'bird', 'dog'], ['dog', 'dog', 'dog', 'dog']);
    expect(m.labels).toEqual(['bird', 'cat', 'dog']);
    expect(m.confusionMatrix).toEqual([
      [0, 0, 1],
      [0, 0, 1],
      [0, 0, 2],
    ]);
    expect(m.perClass.precision).toEqual([0, 0, 0.5]);
    expect(m.perClass.f1[0]).toBe(0);
    expect(m.macro.recall).toBeCloseTo(1 / 3, 15);
    expect(m.binary).toBeUndefined();
  });

  it('rejects missing labels, NaN scores, mixed label types and one-class ROC AUC', () => {
    expect(() => classificationMetrics([1, NaN], [1, 0])).toThrow(MetricsError);
    expect(() => classificationMetrics(['a', null] as unknown as Label[], ['a', 'b'])).toThrow(MetricsError);
    expect(() => classificationMetrics([1, 'a'], [1, 'a'])).toThrow(MetricsError);
    expect(() => rocAuc([0, 1], Float64Array.of(0.2, NaN))).toThrow(MetricsError);
    expect(() => rocAuc([1, 1], Float64Array.of(0.2, 0.3))).toThrow(MetricsError);
    expect(() => logLoss([0, 1], [Float64Array.of(0.5, 0.6), Float64Array.of(0.5, 0.5)], [0, 1])).toThrow(MetricsError);
  });
});
