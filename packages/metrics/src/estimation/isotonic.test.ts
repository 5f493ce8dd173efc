import { describe, expect, it } from 'vitest';
import { MetricsError } from '../errors.js';
import { binaryCases, f64 } from '../test/estimation.js';
import { CLOSED_FORM, expectClose, nums, obj, type RefObject } from '../test/reference.js';
import { calibrate, calibrateAll, fitIsotonic } from './isotonic.js';

// Expected: scikit-learn IsotonicRegression(increasing=True, out_of_bounds='clip') (estimation.json).
describe('isotonic calibration matches scikit-learn', () => {
  for (const c of binaryCases) {
    const ref = obj(c.reference);
    const expected = obj(c.calibrator);
    const calibrator = fitIsotonic(f64(ref.y_score), f64(ref.y_true));

    it(`${String(c.id)}: merged points and fitted values`, () => {
      expect(calibrator.x.length).toBe(expected.points);
      expect(calibrator.x.slice(0, 5)).toEqual(nums(expected.x_first_5));
      nums(expected.fitted_first_5).forEach((v, i) => expectClose(calibrator.y[i]!, v, CLOSED_FORM, `fitted[${i}]`, 1e-15));
    });

    (c.chunks as RefObject[]).forEach((ch, k) => {
      it(`${String(c.id)} chunk ${k}: calibrated probabilities`, () => {
        const want = nums(obj(ch.expected).calibrated_probability_first_10);
        const got = calibrateAll(calibrator, f64(obj(ch.inputs).y_score).subarray(0, want.length));
        want.forEach((v, i) => expectClose(got[i]!, v, CLOSED_FORM, `p[${i}]`, 1e-15));
      });
    });
  }

  it('clips outside the fitted range and interpolates linearly inside it', () => {
    const cal = fitIsotonic([0.2, 0.4, 0.6, 0.8], [0, 0, 1, 1]);
    expect(calibrate(cal, 0)).toBe(0);
    expect(calibrate(cal, 1)).toBe(1);
    expect(calibrate(cal, 0.5)).toBeCloseTo(0.5, 15);
  });

  it('pools violators with their weights and merges equal scores', () => {
    // Scores 0.1 (y 1), 0.2 twice (y 0, 0): pooled mean (1 + 0 + 0) / 3 at both points.
    const cal = fitIsotonic([0.1, 0.2, 0.2], [1, 0, 0]);
    expect(cal.x).toEqual([0.1, 0.2]);
    expect(cal.y).toEqual([1 / 3, 1 / 3]);
  });

  it('predicts the mean everywhere from one distinct score', () => {
    const cal = fitIsotonic([0.3, 0.3, 0.3, 0.3], [1, 0, 0, 0]);
    expect(calibrate(cal, 0.9)).toBe(0.25);
    expect(calibrate(cal, 0.1)).toBe(0.25);
  });

  it('rejects empty and non-finite input', () => {
    expect(() => fitIsotonic([], [])).toThrow(MetricsError);
    expect(() => fitIsotonic([0.1, NaN], [0, 1])).toThrow(/row 1 is not a finite number/);
  });
});
