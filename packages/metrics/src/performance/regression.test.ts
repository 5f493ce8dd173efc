import { describe, expect, it } from 'vitest';
import { regressionMetrics } from './regression.js';
import { MetricsError } from '../errors.js';
import { CLOSED_FORM, cases, expectClose, loadReference, num, nums, obj } from '../test/reference.js';

// Expected values: scikit-learn 1.9 + numpy (regression.json).
const ref = loadReference('regression.json');

describe('regression metrics match scikit-learn', () => {
  for (const c of cases(ref)) {
    it(`${String(c.id)}`, () => {
      const inputs = obj(c.inputs);
      const e = obj(c.expected);
      const m = regressionMetrics(Float64Array.from(nums(inputs.y_true)), Float64Array.from(nums(inputs.y_pred)));
      const pairs: [number, string][] = [
        [m.mae, 'mae'],
        [m.mse, 'mse'],
        [m.rmse, 'rmse'],
        [m.mape, 'mape'],
        [m.r2, 'r2'],
        [m.r2Raw, 'r2_force_finite_false'],
        [m.medianAbsoluteError, 'median_absolute_error'],
        [m.explainedVariance, 'explained_variance'],
        [m.explainedVarianceRaw, 'explained_variance_force_finite_false'],
        [m.maxError, 'max_error'],
        [m.meanError, 'mean_error_pred_minus_true'],
        [-m.meanError, 'mean_error_true_minus_pred'],
        [m.errorStd, 'error_std_ddof1'],
        [m.absErrorStd, 'abs_error_std_ddof1'],
      ];
      for (const [got, key] of pairs) expectClose(got, num(e[key]), CLOSED_FORM, key, 1e-15);
    });
  }

  it('rejects NaN, different lengths and empty input', () => {
    expect(() => regressionMetrics(Float64Array.of(1, NaN), Float64Array.of(1, 2))).toThrow(MetricsError);
    expect(() => regressionMetrics(Float64Array.of(1), Float64Array.of(1, 2))).toThrow(MetricsError);
    expect(() => regressionMetrics(new Float64Array(0), new Float64Array(0))).toThrow(MetricsError);
  });
});
