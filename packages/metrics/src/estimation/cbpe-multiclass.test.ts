import { describe, expect, it } from 'vitest';
import { multiclassCases, multiclassInputs } from '../test/estimation.js';
import { CLOSED_FORM, expectClose, num, obj, type RefObject } from '../test/reference.js';
import { estimateMulticlass, fitMulticlassCbpe } from './cbpe-multiclass.js';

// Expected: estimation.json's spec.multiclass (one calibrator per class, normalised rows).
describe('multiclass CBPE matches the shared cases', () => {
  for (const c of multiclassCases) {
    const labels = c.labels as string[];
    const ref = multiclassInputs(c, obj(c.reference));
    const model = fitMulticlassCbpe({ yTrue: ref.yTrue!, yPred: ref.yPred, scores: ref.scores }, labels.length);

    (c.chunks as RefObject[]).forEach((chunk, k) => {
      const what = `${String(c.id)} chunk ${k}`;
      it(`${what}: accuracy, macro precision/recall/F1, OvR macro ROC AUC and per class`, () => {
        const inputs = multiclassInputs(c, obj(chunk.inputs));
        const e = estimateMulticlass(model, inputs);
        const want = obj(obj(chunk.expected).calibrated);
        const close = (got: number, w: RefObject, key: string, label: string): void => expectClose(got, num(w[key]), CLOSED_FORM, `${what} ${label} ${key}`, 1e-15);
        expect(e.rows).toBe(inputs.yPred.length);
        close(e.accuracy.value, want, 'accuracy', 'macro');
        close(e.precision, want, 'precision_macro', 'macro');
        close(e.recall, want, 'recall_macro', 'macro');
        close(e.f1.value, want, 'f1_macro', 'macro');
        close(e.rocAuc, want, 'roc_auc_ovr_macro', 'macro');
        const perClass = want.per_class as RefObject[];
        expect(perClass.map((p) => p.class)).toEqual(labels);
        perClass.forEach((p, i) => {
          const got = e.perClass[i]!;
          for (const key of ['tp', 'fp', 'fn', 'precision', 'recall', 'f1'] as const) close(got[key], p, key, labels[i]!);
          close(got.rocAuc, p, 'roc_auc', labels[i]!);
        });
        // Bands: estimate ± 3 SE inside [0, 1].
        expect(e.accuracy.lower).toBeLessThan(e.accuracy.value);
        expect(e.accuracy.upper).toBeGreaterThan(e.accuracy.value);
        expect(e.f1.samplingError).toBeGreaterThan(0);
      });
    });
  }

  it('rejects a chunk whose score columns do not match the classes', () => {
    const model = fitMulticlassCbpe({ yTrue: [0, 1, 2], yPred: [0, 1, 2], scores: [[0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.1, 0.1, 0.8]] }, 3);
    expect(() => estimateMulticlass(model, { yPred: [0], scores: [[1], [0]] })).toThrow(/2 score columns for 3 classes/);
    expect(() => estimateMulticlass(model, { yPred: [0], scores: [[1.5], [0], [0]] })).toThrow(/outside \[0, 1\]/);
  });
});
