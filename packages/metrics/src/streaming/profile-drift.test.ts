import { describe, expect, it } from 'vitest';
import { computeColumnDrift } from '../drift/column-drift.js';
import { histogram } from '../drift/binning.js';
import { psi } from '../drift/psi.js';
import { proportions, smooth } from '../drift/smoothing.js';
import { wassersteinNormed } from '../drift/wasserstein.js';
import { mergeProfiles, profileColumn } from '../profile/column-profile.js';
import { generateSample } from '../prng/generate.js';
import { sortSample } from '../stats/sample.js';
import { profileColumnDrift } from './profile-drift.js';
import { profileColumnQuality } from './profile-quality.js';
import { referenceBinEdges } from './reference-edges.js';

function normal(n: number, mu: number, seed: number): Float64Array {
  return generateSample({ dist: 'normal', mu, sigma: 1, seed, n }) as Float64Array;
}

function refProfile(values: Float64Array, seed = 1) {
  const edges = referenceBinEdges(sortSample(values))!;
  return { edges, profile: profileColumn(values, 'numerical', { seed, histogramEdges: edges }) };
}

describe('profile-based drift', () => {
  it('equals the exact test when both samples fit in the reservoirs (KS, small reference)', () => {
    const ref = normal(800, 0, 11);
    const cur = normal(600, 0.3, 12);
    const { edges, profile } = refProfile(ref);
    const curProfile = profileColumn(cur, 'numerical', { seed: 2, histogramEdges: edges });
    const streaming = profileColumnDrift(profile, curProfile);
    const exact = computeColumnDrift(ref, cur, 'numerical');
    expect(streaming.test).toBe('ks');
    expect(exact.test).toBe('ks');
    expect(streaming.basis).toBe('exact');
    expect(streaming.statistic).toBe(exact.statistic);
    expect(streaming.pValue).toBe(exact.pValue);
    expect(streaming.drifted).toBe(true);
  });

  it('tracks exact normed Wasserstein within 0.02 on 200k rows, and flags a mean shift only where there is one', () => {
    const ref = normal(200_000, 0, 21);
    const same = normal(200_000, 0, 22);
    const shifted = normal(200_000, 0.5, 23);
    const { edges, profile } = refProfile(ref);
    // Current windows are merges of minute profiles, as in the worker.
    const minutes = (x: Float64Array) =>
      Array.from({ length: 8 }, (_, i) => profileColumn(x.subarray(i * 25_000, (i + 1) * 25_000), 'numerical', { seed: 100 + i, histogramEdges: edges })).reduce(
        (a, b) => mergeProfiles(a, b),
      );
    for (const [cur, drifted] of [
      [same, false],
      [shifted, true],
    ] as const) {
      const r = profileColumnDrift(profile, minutes(cur));
      const exact = wassersteinNormed(sortSample(ref), sortSample(cur)).normed;
      expect(r.test).toBe('wasserstein');
      expect(r.basis).toBe('sketch');
      expect(Math.abs(r.score - exact)).toBeLessThan(0.02);
      expect(r.drifted).toBe(drifted);
    }
  });

  it('computes PSI on the reference edges from exact counts', () => {
    const ref = normal(50_000, 0, 41);
    const { edges, profile } = refProfile(ref);
    // Keep the window inside the reference range so both sides have the same bins.
    const cur = normal(50_000, 0.2, 42).map((v) => Math.min(Math.max(v, edges[0]!), edges[edges.length - 1]!));
    const r = profileColumnDrift(profile, profileColumn(cur, 'numerical', { seed: 9, histogramEdges: edges }));
    const rc = histogram(sortSample(ref), edges, false);
    const cc = histogram(sortSample(cur), edges, false);
    const keep = rc.map((v, i) => (v > 0 || cc[i]! > 0 ? 1 : 0));
    const kr = rc.filter((_, i) => keep[i]);
    const kc = cc.filter((_, i) => keep[i]);
    expect(kc.reduce((a, b) => a + b, 0)).toBe(50_000);
    const expected = psi(smooth(proportions(kr), 'evidently_feel_zeroes'), smooth(proportions(kc), 'evidently_feel_zeroes'));
    expect(Math.abs(r.psi - expected)).toBeLessThanOrEqual(1e-12 * Math.max(1, expected));
    expect(r.psi).toBeGreaterThan(0);
  });

  it('uses exact category counts for categorical columns (chi-square and Jensen–Shannon equal the exact ones)', () => {
    const pick = (n: number, seed: number, weights: number[]) =>
      (generateSample({ dist: 'discrete', values: ['a', 'b', 'c', 'd'], weights, seed, n }) as (string | null)[]);
    const ref = pick(900, 5, [0.4, 0.3, 0.2, 0.1]);
    const cur = pick(700, 6, [0.25, 0.25, 0.25, 0.25]);
    const r = profileColumnDrift(profileColumn(ref, 'categorical', { seed: 1 }), profileColumn(cur, 'categorical', { seed: 2 }));
    const exact = computeColumnDrift(ref, cur, 'categorical');
    expect(r.test).toBe('chisquare');
    expect(r.pValue).toBeCloseTo(exact.pValue!, 12);
    expect(r.jensenShannon).toBeCloseTo(exact.jensenShannon, 12);
    expect(r.drifted).toBe(exact.drifted);
  });

  it('refuses to compare a numerical reference with a categorical window', () => {
    const a = profileColumn(normal(10, 0, 1), 'numerical', { seed: 1 });
    const b = profileColumn(['x'], 'categorical', { seed: 1 });
    expect(() => profileColumnDrift(a, b)).toThrow(/numerical but current is categorical/);
  });
});

describe('profile-based quality', () => {
  it('measures out-of-range exactly on the reference edges and new categories against the reference', () => {
    const ref = normal(5_000, 0, 31);
    const { edges, profile } = refProfile(ref);
    const cur = Float64Array.from([...normal(900, 0, 32).map((v) => Math.max(Math.min(v, 1), -1)), 100, 101, -100, Number.NaN]);
    const q = profileColumnQuality(profileColumn(cur, 'numerical', { seed: 3, histogramEdges: edges }), profile);
    expect(q.outOfRangeShare).toBeCloseTo(3 / 903, 15);
    expect(q.missingShare).toBeCloseTo(1 / 904, 15);
    expect(q.rows).toBe(904);

    const c = profileColumnQuality(profileColumn(['a', 'b', 'z', 'z', null], 'categorical', { seed: 1 }), profileColumn(['a', 'b', 'c'], 'categorical', { seed: 2 }));
    expect(c.newCategoryShare).toBeCloseTo(0.5, 15);
    expect(c.missingShare).toBeCloseTo(0.2, 15);
    expect(c.distinct).toBe(3);
  });
});

describe('reference bin edges', () => {
  it('gives one bin per value for few distinct values and Sturges bins from min to max otherwise', () => {
    expect(Array.from(referenceBinEdges(sortSample([3, 1, 2, 2]))!.subarray(0, 3))).toEqual([1, 2, 3]);
    const e = referenceBinEdges(sortSample(normal(1000, 0, 1)))!;
    expect(e.length).toBe(Math.ceil(Math.log2(1000)) + 2);
    expect(referenceBinEdges(sortSample([]))).toBeNull();
  });
});
