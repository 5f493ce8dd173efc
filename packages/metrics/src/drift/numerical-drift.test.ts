import { describe, expect, it } from 'vitest';
import { andersonDarling } from './anderson-darling.js';
import { cramerVonMises } from './cramer-von-mises.js';
import { energyDistance } from './energy-distance.js';
import { ks2samp } from './ks-2samp.js';
import { mannWhitneyU } from './mann-whitney.js';
import { tTest } from './t-test.js';
import { wassersteinDistance, wassersteinNormed } from './wasserstein.js';
import { sortSample } from '../stats/sample.js';
import { CLOSED_FORM, cases, expectClose, loadReference, num, nums, numericSample, obj } from '../test/reference.js';

// Expected values: scipy 1.17.1 (numerical_drift.json), each block naming its call.
const ref = loadReference('numerical_drift.json');

/*
 * Tolerances. Closed-form statistics (sums over sorted samples, ratios) and exact p-values
 * (finite sums/recursions evaluated in a different order than scipy's): 1e-9 relative.
 * Asymptotic p-values come from series (Pelz–Good, Birnbaum–Tingey summed in log space
 * instead of scipy's double-double, the limiting CvM series) and from stdlib's incomplete
 * beta for the t distribution, whose rounding differs from scipy's: measured agreement is
 * ≤ 1e-11 except the t-test at df ≈ 2e5 (2e-10), so 1e-9 relative. The Anderson–Darling
 * p-value interpolates through a least-squares quadratic solved by normal equations rather
 * than numpy.polyfit's lstsq: also within 1e-9.
 */
const ASYMPTOTIC = 1e-9;

describe('two-sample numerical drift tests match scipy', () => {
  for (const c of cases(ref)) {
    const inputs = obj(c.inputs);
    const e = obj(c.expected);
    const reference = sortSample(numericSample(inputs.reference));
    const current = sortSample(numericSample(inputs.current));

    it(`${String(c.id)}: drops missing values before testing`, () => {
      expect(reference.length).toBe(e.n_reference_used);
      expect(current.length).toBe(e.n_current_used);
    });

    it(`${String(c.id)}: Kolmogorov–Smirnov (auto, exact and asymptotic)`, () => {
      const ks = obj(e.ks_2samp);
      const auto = ks2samp(reference, current);
      expect(auto.method).toBe(ks.method_resolved);
      expectClose(auto.statistic, num(ks.statistic), CLOSED_FORM, 'statistic');
      expect(auto.statisticLocation).toBe(num(ks.statistic_location));
      expect(auto.statisticSign).toBe(ks.statistic_sign);
      expectClose(auto.pValue, num(ks.pvalue), auto.method === 'exact' ? CLOSED_FORM : ASYMPTOTIC, 'p-value');
      if (ks.pvalue_method_exact !== undefined) {
        expectClose(ks2samp(reference, current, 'exact').pValue, num(ks.pvalue_method_exact), CLOSED_FORM, 'exact p');
      }
      expectClose(ks2samp(reference, current, 'asymp').pValue, num(ks.pvalue_method_asymp), ASYMPTOTIC, 'asymp p');
    });

    it(`${String(c.id)}: Wasserstein raw and normalised`, () => {
      const w = obj(e.wasserstein);
      expectClose(wassersteinDistance(reference, current), num(w.distance), CLOSED_FORM, 'distance', 1e-15);
      const normed = wassersteinNormed(reference, current);
      expectClose(normed.referenceStd, num(w.std_reference_ddof0), CLOSED_FORM, 'std');
      expectClose(normed.normed, num(w.normed_evidently), CLOSED_FORM, 'normed', 1e-15);
    });

    it(`${String(c.id)}: energy distance`, () => {
      expectClose(energyDistance(reference, current), num(obj(e.energy_distance).distance), CLOSED_FORM, 'energy', 1e-15);
    });

    it(`${String(c.id)}: Anderson–Darling k-sample (midrank)`, () => {
      const ad = obj(e.anderson_ksamp);
      const got = andersonDarling(reference, current);
      expectClose(got.statistic, num(ad.statistic), CLOSED_FORM, 'statistic');
      got.criticalValues.forEach((v, i) => expectClose(v, nums(ad.critical_values)[i]!, CLOSED_FORM, 'critical'));
      expect(got.pValueStatus).toBe(ad.pvalue_status);
      expectClose(got.pValue, num(ad.significance_level), got.pValueStatus === 'interpolated' ? ASYMPTOTIC : 0, 'p');
    });

    it(`${String(c.id)}: Mann–Whitney U`, () => {
      const mw = obj(e.mannwhitneyu);
      const got = mannWhitneyU(reference, current);
      expect(got.method).toBe(mw.method_resolved);
      expectClose(got.statistic, num(mw.statistic_U_reference), CLOSED_FORM, 'U');
      expectClose(got.pValue, num(mw.pvalue), got.method === 'exact' ? CLOSED_FORM : ASYMPTOTIC, 'p');
    });

    it(`${String(c.id)}: Cramér–von Mises`, () => {
      const cvm = obj(e.cramervonmises_2samp);
      const got = cramerVonMises(reference, current);
      expect(got.method).toBe(cvm.method_resolved);
      expectClose(got.statistic, num(cvm.statistic), CLOSED_FORM, 'T', 1e-12);
      // The asymptotic p-value is 1 − cdf with cdf ≈ 1: both scipy and we lose absolute
      // precision to a few ulps of 1, so tiny p-values agree only to ~1e-15 absolute.
      expectClose(got.pValue, num(cvm.pvalue), got.method === 'exact' ? CLOSED_FORM : ASYMPTOTIC, 'p', 1e-14);
    });

    it(`${String(c.id)}: Student and Welch t-tests`, () => {
      for (const [key, equalVar] of [
        ['ttest_student', true],
        ['ttest_welch', false],
      ] as const) {
        const t = obj(e[key]);
        const got = tTest(reference, current, equalVar);
        expectClose(got.statistic, num(t.statistic), CLOSED_FORM, `${key} t`, 1e-12);
        expectClose(got.df, num(t.df), CLOSED_FORM, `${key} df`);
        expectClose(got.pValue, num(t.pvalue), ASYMPTOTIC, `${key} p`);
      }
    });
  }
});
