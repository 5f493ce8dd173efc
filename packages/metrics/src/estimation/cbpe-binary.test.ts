import { describe, expect, it } from 'vitest';
import { MetricsError } from '../errors.js';
import { binaryCases, f64 } from '../test/estimation.js';
import { CLOSED_FORM, expectClose, num, nums, obj, type RefObject } from '../test/reference.js';
import { estimateBinary, estimateFromProbabilities, fitBinaryCbpe, type BinaryEstimate } from './cbpe-binary.js';

// Expected: the formulas of estimation.json's spec (binary_expected_confusion, binary_metrics,
// binary_roc_auc, sampling_error), realized metrics from scikit-learn.
const close = (got: number, want: RefObject, key: string, what: string): void => expectClose(got, num(want[key]), CLOSED_FORM, `${what} ${key}`, 1e-15);

function checkBlock(e: BinaryEstimate, want: RefObject, what: string): void {
  for (const key of ['tp', 'fp', 'fn', 'tn'] as const) if (want[key] !== undefined) close(e.confusion[key], want, key, what);
  close(e.accuracy.value, want, 'accuracy', what);
  close(e.precision, want, 'precision', what);
  close(e.recall, want, 'recall', what);
  close(e.specificity, want, 'specificity', what);
  close(e.f1.value, want, 'f1', what);
  close(e.rocAuc, want, 'roc_auc', what);
}

describe('binary CBPE matches the shared cases', () => {
  for (const c of binaryCases) {
    const ref = obj(c.reference);
    const model = fitBinaryCbpe({ yTrue: f64(ref.y_true), yPred: f64(ref.y_pred), scores: f64(ref.y_score) });

    it(`${String(c.id)}: sampling-error components from the reference`, () => {
      const want = obj(c.sampling_error_components);
      expect(model.sampling.rows).toBe(nums(ref.y_true).length);
      close(model.sampling.accuracySd, want, 'accuracy_sd', 'reference');
      close(model.sampling.f1Sd, want, 'f1_sd', 'reference');
      close(model.sampling.f1Fraction, want, 'f1_fraction', 'reference');
    });

    (c.chunks as RefObject[]).forEach((chunk, k) => {
      const inputs = obj(chunk.inputs);
      const expected = obj(chunk.expected);
      const scores = f64(inputs.y_score);
      const yPred = f64(inputs.y_pred);
      const what = `${String(c.id)} chunk ${k}`;

      it(`${what}: calibrated estimates, sampling errors and bands`, () => {
        const e = estimateBinary(model, { scores, yPred });
        expect(e.rows).toBe(scores.length);
        checkBlock(e, obj(expected.calibrated), `${what} calibrated`);
        const se = obj(expected.sampling_error);
        close(e.accuracy.samplingError, se, 'accuracy', `${what} SE`);
        close(e.f1.samplingError, se, 'f1', `${what} SE`);
        const bands = obj(expected.band);
        const [accLo, accHi] = nums(bands.accuracy);
        const [f1Lo, f1Hi] = nums(bands.f1);
        expectClose(e.accuracy.lower, accLo!, CLOSED_FORM, `${what} accuracy lower`);
        expectClose(e.accuracy.upper, accHi!, CLOSED_FORM, `${what} accuracy upper`);
        expectClose(e.f1.lower, f1Lo!, CLOSED_FORM, `${what} f1 lower`);
        expectClose(e.f1.upper, f1Hi!, CLOSED_FORM, `${what} f1 upper`);
      });

      it(`${what}: the same estimates from the raw scores`, () => {
        checkBlock(estimateFromProbabilities(model.sampling, scores, scores, yPred), obj(expected.raw), `${what} raw`);
      });

      it(`${what}: with p = the true labels the estimate is the realized metric`, () => {
        const truth = f64(chunk.true_labels);
        checkBlock(estimateFromProbabilities(model.sampling, truth, scores, yPred), obj(expected.realized), `${what} realized`);
      });
    });
  }

  it('rejects scores outside [0, 1], missing scores and non-0/1 predictions, naming the row', () => {
    const model = fitBinaryCbpe({ yTrue: [0, 1, 1, 0], yPred: [0, 1, 0, 0], scores: [0.1, 0.9, 0.4, 0.2] });
    expect(() => estimateBinary(model, { scores: [0.5, 1.2], yPred: [0, 1] })).toThrow(/row 2 is 1.2, outside \[0, 1\]/);
    expect(() => estimateBinary(model, { scores: [NaN], yPred: [0] })).toThrow(/row 1 is missing/);
    expect(() => estimateBinary(model, { scores: [0.5], yPred: [2] })).toThrow(MetricsError);
    expect(() => fitBinaryCbpe({ yTrue: [0, 2], yPred: [0, 1], scores: [0.1, 0.2] })).toThrow(/label at row 2/);
  });
});
