import { describe, expect, it } from 'vitest';
import { computeColumnDrift, defaultDriftTest, prepareNumeric } from './column-drift.js';
import { computeDatasetDrift } from './dataset-drift.js';
import { benjaminiHochberg } from './benjamini-hochberg.js';
import { MetricsError } from '../errors.js';
import { generateSample } from '../prng/generate.js';

const normal = (n: number, mu: number, seed: number): Float64Array =>
  generateSample({ dist: 'normal', mu, sigma: 1, seed, n }) as Float64Array;
const ints = (n: number, hi: number, seed: number): Float64Array =>
  generateSample({ dist: 'integer_uniform', lo: 0, hi, seed, n }) as Float64Array;
const labels = (n: number, values: string[], weights: number[], seed: number): (string | null)[] =>
  generateSample({ dist: 'discrete', values, weights, seed, n }) as (string | null)[];

describe('default drift test selection (DESIGN §5)', () => {
  it('uses KS, chi-square and z-test for references up to 1,000 rows', () => {
    expect(defaultDriftTest('numerical', 1000, 6)).toBe('ks');
    expect(defaultDriftTest('numerical', 1000, 5)).toBe('chisquare');
    expect(defaultDriftTest('numerical', 1000, 3)).toBe('chisquare');
    expect(defaultDriftTest('numerical', 1000, 2)).toBe('z');
    expect(defaultDriftTest('categorical', 1000, 3)).toBe('chisquare');
    expect(defaultDriftTest('categorical', 1000, 2)).toBe('z');
    expect(defaultDriftTest('boolean', 10, 1)).toBe('z');
  });

  it('uses normed Wasserstein or Jensen–Shannon above 1,000 reference rows', () => {
    expect(defaultDriftTest('numerical', 1001, 6)).toBe('wasserstein');
    expect(defaultDriftTest('numerical', 1001, 5)).toBe('jensenshannon');
    expect(defaultDriftTest('categorical', 5000, 40)).toBe('jensenshannon');
  });

  it('counts unique values over reference and current together, ignoring missing values', () => {
    const ref = Float64Array.of(1, 2, NaN, 2, 1);
    const cur = Float64Array.of(3, NaN, 3);
    const r = computeColumnDrift(ref, cur, 'numerical');
    expect(r.uniqueValues).toBe(3);
    expect(r.test).toBe('chisquare');
  });

  it('flags a mean shift with KS on a small reference and reports the side metrics', () => {
    const r = computeColumnDrift(normal(500, 0, 1), normal(500, 0.5, 2), 'numerical');
    expect(r.test).toBe('ks');
    expect(r.scoreKind).toBe('p_value');
    expect(r.score).toBe(r.pValue);
    expect(r.threshold).toBe(0.05);
    expect(r.drifted).toBe(true);
    expect(r.psi).toBeGreaterThan(0);
    expect(r.wassersteinNormed).toBeGreaterThan(0.3);
  });

  it('uses normed Wasserstein ≥ 0.1 on a large reference', () => {
    const same = computeColumnDrift(normal(5000, 0, 3), normal(5000, 0, 4), 'numerical');
    expect(same.test).toBe('wasserstein');
    expect(same.drifted).toBe(false);
    const shifted = computeColumnDrift(normal(5000, 0, 3), normal(5000, 0.3, 4), 'numerical');
    expect(shifted.drifted).toBe(true);
    expect(shifted.score).toBe(shifted.wassersteinNormed);
  });

  it('reports a category unseen in the reference as certain drift under chi-square', () => {
    const r = computeColumnDrift(['a', 'b', 'c', 'a'], ['a', 'b', 'd', null], 'categorical');
    expect(r.test).toBe('chisquare');
    expect(r.statistic).toBe(Infinity);
    expect(r.pValue).toBe(0);
    expect(r.drifted).toBe(true);
  });

  it('runs the z-test on booleans', () => {
    const r = computeColumnDrift([true, false, true, true], [false, false, true, null], 'boolean');
    expect(r.test).toBe('z');
    expect(r.pValue).toBeGreaterThan(0);
  });

  it('accepts an override test and threshold, and a prepared reference', () => {
    const ref = prepareNumeric(normal(300, 0, 5));
    const r = computeColumnDrift(ref, normal(300, 0.2, 6), 'numerical', { test: 'psi', threshold: 0.5 });
    expect(r.test).toBe('psi');
    expect(r.threshold).toBe(0.5);
    expect(r.score).toBe(r.psi);
    expect(r.drifted).toBe(r.score >= 0.5);
  });

  it('rejects a numeric-only test on a categorical column and empty samples', () => {
    expect(() => computeColumnDrift(['a'], ['b'], 'categorical', { test: 'ks' })).toThrow(MetricsError);
    expect(() => computeColumnDrift(Float64Array.of(NaN), Float64Array.of(1), 'numerical')).toThrow(MetricsError);
    expect(() => computeColumnDrift(['a', 'b', 'c'], ['a'], 'categorical', { test: 'z' })).toThrow(MetricsError);
  });

  it('runs every test on a numerical column', () => {
    const tests = ['ks', 'chisquare', 'wasserstein', 'wasserstein_raw', 'jensenshannon', 'psi', 'kl_div', 'hellinger', 'tvd',
      'anderson', 'cramer_von_mises', 'mannw', 'energy_distance', 't_test', 'welch_t_test', 'g_test', 'chi2_contingency'] as const;
    for (const test of tests) {
      const r = computeColumnDrift(ints(200, 8, 7), ints(150, 9, 8), 'numerical', { test });
      expect(Number.isFinite(r.score), test).toBe(true);
    }
  });
});

describe('dataset drift', () => {
  const columns = [
    { name: 'a', kind: 'numerical' as const, reference: normal(400, 0, 11), current: normal(400, 1, 12) },
    { name: 'b', kind: 'numerical' as const, reference: normal(400, 0, 13), current: normal(400, 0, 14) },
    { name: 'c', kind: 'categorical' as const, reference: labels(400, ['x', 'y', 'z'], [1, 1, 1], 15), current: labels(400, ['x', 'y', 'z'], [1, 1, 1], 15) },
  ];

  it('compares the share of drifted columns with driftShare', () => {
    const r = computeDatasetDrift(columns);
    expect(r.columns.map((c) => c.drifted)).toEqual([true, false, false]);
    expect(r.driftedShare).toBeCloseTo(1 / 3, 15);
    expect(r.datasetDrift).toBe(false);
    expect(computeDatasetDrift(columns, { driftShare: 0.3 }).datasetDrift).toBe(true);
  });

  it('applies per-column over per-kind over global choices', () => {
    const r = computeDatasetDrift(columns, {
      test: 'psi',
      perKind: { numerical: { test: 'mannw', threshold: 0.01 } },
      perColumn: { b: { test: 'anderson' } },
    });
    expect(r.columns.map((c) => [c.test, c.threshold])).toEqual([
      ['mannw', 0.01],
      ['anderson', 0.05],
      ['psi', 0.1],
    ]);
  });

  it('adjusts p-values with Benjamini–Hochberg when asked', () => {
    const r = computeDatasetDrift(columns, { falseDiscoveryRate: 'benjamini-hochberg' });
    for (const c of r.columns) {
      expect(c.pValueAdjusted).toBeGreaterThanOrEqual(c.score);
      expect(c.drifted).toBe((c.pValueAdjusted ?? 1) < c.threshold);
    }
  });

  it('computes Benjamini–Hochberg step-up adjusted p-values', () => {
    // By hand: sorted 0.01, 0.03, 0.04, 0.5 → 0.04, 0.06, 0.0533…, 0.5 → running minimum from the top.
    const adjusted = benjaminiHochberg([0.01, 0.04, 0.03, 0.5, NaN]);
    [0.04, 0.16 / 3, 0.16 / 3, 0.5].forEach((v, i) => expect(adjusted[i]).toBeCloseTo(v, 15));
    expect(adjusted[4]).toBeNaN();
  });
});
