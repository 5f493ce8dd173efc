import { describe, expect, it } from 'vitest';
import { countCategories } from './categories.js';
import { chiSquareContingency, chiSquareGoodnessOfFit, gTest } from './chi-square.js';
import { fisherExact } from './fisher-exact.js';
import { proportions } from './smoothing.js';
import { twoProportionZTest } from './z-test.js';
import { checkDivergenceBlock, SMOOTHING_RULES } from '../test/divergences.js';
import { CLOSED_FORM, cases, expectClose, loadReference, num, nums, obj, stringSample, type RefValue } from '../test/reference.js';

// Expected values: scipy 1.17 / statsmodels 0.15 (categorical_drift.json).
const ref = loadReference('categorical_drift.json');

/*
 * Statistics are closed-form (1e-9 relative). p-values are χ²/normal tail areas from
 * stdlib's regularized incomplete gamma / erfc, which differ from scipy's cephes in the last
 * bits; measured agreement is ~1e-13, so 1e-9 relative holds for them too.
 */
function checkChi(got: { statistic: number; pValue: number; dof: number }, block: RefValue | undefined, what: string): void {
  const b = obj(block);
  expectClose(got.statistic, num(b.statistic), CLOSED_FORM, `${what} statistic`, 1e-15);
  expectClose(got.pValue, num(b.pvalue), CLOSED_FORM, `${what} p`);
  expect(got.dof).toBe(b.dof);
}

describe('categorical drift tests match scipy/statsmodels', () => {
  for (const c of cases(ref)) {
    it(`${String(c.id)}: counts, chi-square, G-test, contingency, exact tests and divergences`, () => {
      const inputs = obj(c.inputs);
      const e = obj(c.expected);
      const counts = countCategories(stringSample(inputs.reference), stringSample(inputs.current));
      expect(counts.categories).toEqual(e.categories);
      expect(Array.from(counts.reference)).toEqual(nums(e.reference_counts));
      expect(Array.from(counts.current)).toEqual(nums(e.current_counts));

      checkChi(chiSquareGoodnessOfFit(counts.reference, counts.current), e.chisquare_gof, 'chisquare_gof');
      checkChi(gTest(counts.reference, counts.current), e.g_test_gof, 'g_test_gof');
      const yates = chiSquareContingency(counts.reference, counts.current, { yates: true });
      checkChi(yates, e.chi2_contingency, 'chi2_contingency');
      const expectedFreq = obj(e.chi2_contingency).expected_freq as RefValue[];
      yates.expected.forEach((row, r) => row.forEach((v, j) => expectClose(v, nums(expectedFreq[r])[j]!, CLOSED_FORM, 'expected')));
      checkChi(chiSquareContingency(counts.reference, counts.current, { yates: false }), e.chi2_contingency_no_correction, 'no yates');
      checkChi(
        chiSquareContingency(counts.reference, counts.current, { yates: false, lambda: 'log-likelihood' }),
        e.g_test_contingency,
        'g contingency',
      );

      const smoothed = obj(e.chisquare_gof_eps_smoothed);
      const shares = proportions(counts.reference).map((v) => (v === 0 ? 1e-4 : v));
      const total = shares.reduce((s, v) => s + v, 0);
      const nCur = counts.current.reduce((s, v) => s + v, 0);
      const smoothedExpected = shares.map((v) => (v / total) * nCur);
      const got = chiSquareGoodnessOfFit(smoothedExpected, counts.current);
      checkChi(got, smoothed, 'smoothed gof');

      if (e.fisher_exact !== undefined) {
        const f = obj(e.fisher_exact);
        const [r0, r1] = f.table as [RefValue, RefValue];
        const table = [nums(r0), nums(r1)] as [[number, number], [number, number]];
        expect(table).toEqual([
          [counts.reference[0], counts.reference[1]],
          [counts.current[0], counts.current[1]],
        ]);
        const fisher = fisherExact(table);
        expectClose(fisher.oddsRatio, num(f.statistic_odds_ratio), CLOSED_FORM, 'odds ratio');
        expectClose(fisher.pValue, num(f.pvalue), CLOSED_FORM, 'fisher p');
      }
      if (e.z_test_two_proportions !== undefined) {
        const z = obj(e.z_test_two_proportions);
        const i = counts.categories.indexOf(z.success_category as string);
        const zt = twoProportionZTest(counts.reference[i]!, counts.reference.reduce((s, v) => s + v, 0), counts.current[i]!, nCur);
        expectClose(zt.statistic, num(z.statistic), CLOSED_FORM, 'z');
        expectClose(zt.pValue, num(z.pvalue), CLOSED_FORM, 'z p');
      }

      const p = proportions(counts.reference);
      const q = proportions(counts.current);
      for (const rule of SMOOTHING_RULES) checkDivergenceBlock(p, q, rule, obj(e.divergences)[rule]);
    });
  }
});
