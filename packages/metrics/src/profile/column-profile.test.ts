import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cloneProfile,
  createProfile,
  mergeProfileInto,
  mergeProfiles,
  profileColumn,
  updateProfile,
  type ColumnKind,
  type ColumnProfile,
  type ProfileOptions,
} from './column-profile.js';
import { kllRankErrorBound } from './kll.js';
import {
  categoryShares,
  distinctEstimate,
  histogramShares,
  missingShare,
  profileMax,
  profileMean,
  profileMin,
  profileQuantile,
  profileStd,
  typeMismatchCount,
  validCount,
} from './profile-summary.js';
import { serializeProfile } from './serialize.js';

const EDGES = [-50, -10, 0, 10, 50];

const anyValue = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: -100, max: 100, noNaN: true }) },
  { weight: 2, arbitrary: fc.integer({ min: -5, max: 5 }) },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined, Number.NaN) },
  { weight: 2, arbitrary: fc.constantFrom('a', 'b', 'c', 'd', 'e', '') },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constantFrom({}, [], 1n) },
);

/** A column and a split of it into 2–5 consecutive parts. */
const splitColumn = fc
  .tuple(fc.array(anyValue, { maxLength: 400 }), fc.array(fc.nat(), { minLength: 1, maxLength: 4 }))
  .map(([values, cuts]) => {
    const points = cuts.map((c) => c % (values.length + 1)).sort((a, b) => a - b);
    const parts: unknown[][] = [];
    let start = 0;
    for (const p of [...points, values.length]) {
      parts.push(values.slice(start, p));
      start = p;
    }
    return { values, parts };
  });

function exactPart(profile: ColumnProfile) {
  const base = {
    kind: profile.kind,
    count: profile.count,
    missing: profile.missing,
    types: profile.types,
  };
  if (profile.kind === 'numerical') {
    return {
      ...base,
      n: profile.moments.n,
      min: profile.moments.min,
      max: profile.moments.max,
      kllN: profile.quantiles.n,
      hist: histogramShares(profile),
      sampleN: profile.sample.n,
      distinctExact: profile.distinct.isExact ? profile.distinct.estimate() : null,
    };
  }
  return {
    ...base,
    exact: profile.categories.exact,
    categories: profile.categories.exact ? profile.categories.entries() : null,
    total: profile.categories.total,
    distinctExact: profile.distinct.isExact ? profile.distinct.estimate() : null,
  };
}

function expectClose(actual: number, expected: number, scale: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(
    1e-9 * Math.max(Math.abs(expected), scale, 1e-12),
  );
}

describe.each<ColumnKind>(['numerical', 'categorical', 'boolean'])(
  'mergeProfiles on %s columns',
  (kind) => {
    const options = (seed: number): ProfileOptions => ({
      seed,
      histogramEdges: kind === 'numerical' ? EDGES : null,
    });

    it('equals the profile of the union on exact parts, for any split and merge order', () => {
      fc.assert(
        fc.property(splitColumn, fc.boolean(), ({ values, parts }, reverse) => {
          const whole = profileColumn(values, kind, options(1));
          const profiles = parts.map((p, i) => profileColumn(p, kind, options(100 + i)));
          const merged = reverse
            ? profiles.reduceRight((acc, p) => mergeProfiles(p, acc))
            : profiles.reduce((acc, p) => mergeProfiles(acc, p));
          expect(exactPart(merged)).toEqual(exactPart(whole));
          if (merged.kind === 'numerical' && whole.kind === 'numerical' && whole.moments.n > 0) {
            const scale =
              Math.sqrt(whole.moments.m2 / whole.moments.n) + Math.abs(whole.moments.mean);
            expectClose(merged.moments.mean, whole.moments.mean, scale);
            expectClose(
              merged.moments.m2,
              whole.moments.m2,
              scale * scale * whole.moments.n * 1e-6,
            );
            // Fewer than k values: nothing was compacted, so quantiles are exact too.
            for (const q of [0, 0.1, 0.5, 0.9, 1])
              expect(profileQuantile(merged, q)).toBe(profileQuantile(whole, q));
            // -0 and 0 are one value; `+ 0` makes both +0 so their order cannot differ.
            const sorted = (xs: Iterable<number>) => Array.from(xs, (v) => v + 0).sort((a, b) => a - b);
            expect(sorted(merged.sample.values())).toEqual(sorted(whole.sample.values()));
          }
        }),
        { numRuns: 150 },
      );
    });

    it('is associative and commutative: every merge tree gives the same serialized sketches', () => {
      fc.assert(
        fc.property(splitColumn, ({ parts }) => {
          const profiles = parts.map((p, i) => profileColumn(p, kind, options(7 + i)));
          const left = profiles.reduce((acc, p) => mergeProfiles(acc, p));
          const right = profiles.reduceRight((acc, p) => mergeProfiles(p, acc));
          const shuffled = [...profiles].reverse().reduce((acc, p) => mergeProfiles(acc, p));
          for (const other of [right, shuffled]) {
            expect(exactPart(other)).toEqual(exactPart(left));
            const a = serializeProfile(left);
            const b = serializeProfile(other);
            expect(b.hll).toEqual(a.hll);
            expect(b.cat).toEqual(a.cat);
            if (a.num !== undefined && b.num !== undefined) {
              expect(b.num.hist).toEqual(a.num.hist);
              expect(b.num.reservoir.keys).toBe(a.num.reservoir.keys);
              expect(b.num.reservoir.values).toBe(a.num.reservoir.values);
            }
          }
        }),
        { numRuns: 100 },
      );
    });

    it('leaves its inputs untouched', () => {
      const a = profileColumn([1, 2, 'x', true, null, 3.5], kind, options(1));
      const b = profileColumn([4, 'y', false, 2], kind, options(2));
      const before = [JSON.stringify(serializeProfile(a)), JSON.stringify(serializeProfile(b))];
      mergeProfiles(a, b);
      expect([JSON.stringify(serializeProfile(a)), JSON.stringify(serializeProfile(b))]).toEqual(
        before,
      );
    });

    it('merges in place (mergeProfileInto) exactly as mergeProfiles, leaving the source untouched', () => {
      fc.assert(
        fc.property(splitColumn, ({ parts }) => {
          const profiles = parts.map((p, i) => profileColumn(p, kind, options(30 + i)));
          const sources = profiles.map((p) => JSON.stringify(serializeProfile(p)));
          const copied = profiles.reduce((acc, p) => mergeProfiles(acc, p));
          const inPlace = profiles.slice(1).reduce((acc, p) => mergeProfileInto(acc, p), cloneProfile(profiles[0]!));
          expect(JSON.stringify(serializeProfile(inPlace))).toBe(JSON.stringify(serializeProfile(copied)));
          expect(profiles.map((p) => JSON.stringify(serializeProfile(p)))).toEqual(sources);
        }),
        { numRuns: 100 },
      );
    });

    it('changes nothing when the profiles cannot merge', () => {
      const a = profileColumn([1, 2, 3], kind, options(1));
      const b = profileColumn([4, 5], kind, { seed: 2, histogramEdges: kind === 'numerical' ? [0, 100] : null, kllK: 100 });
      const before = JSON.stringify(serializeProfile(a));
      expect(() => mergeProfileInto(a, b)).toThrow(/different sketch settings/);
      expect(JSON.stringify(serializeProfile(a))).toBe(before);
    });
  },
);

describe('mergeProfiles on large numerical columns', () => {
  it('keeps sketches within their bounds across 2–5 way merges', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 5 }),
        fc.integer({ min: 0, max: 1000 }),
        (partCount, seed) => {
          const n = 30_000;
          const values = Float64Array.from(
            { length: n },
            (_, i) => (Math.sin(i * 12.9898 + seed) * 43758.5453) % 100,
          );
          const parts = Array.from({ length: partCount }, (_, p) =>
            values.filter((_, i) => i % partCount === p),
          );
          const merged = parts
            .map((part, p) =>
              profileColumn(part, 'numerical', { seed: seed * 10 + p, histogramEdges: EDGES }),
            )
            .reduce((acc, profile) => mergeProfiles(acc, profile));
          const sorted = values.slice().sort();
          for (const q of [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99]) {
            const estimate = profileQuantile(merged, q);
            const lt = sorted.findIndex((x) => x >= estimate);
            let le = lt;
            while (le < n && sorted[le] === estimate) le++;
            const error = Math.max(0, lt - q * n, q * n - le) / n;
            expect(error).toBeLessThanOrEqual(kllRankErrorBound(200));
          }
          // HyperLogLog merges exactly (its error bound is tested in hyperloglog.test.ts).
          const whole = profileColumn(values, 'numerical', { seed: 1, histogramEdges: EDGES });
          expect(merged.distinct.registers).toEqual(whole.distinct.registers);
          expect(distinctEstimate(merged)).toBe(distinctEstimate(whole));
          expect(profileMin(merged)).toBe(sorted[0]);
          expect(profileMax(merged)).toBe(sorted[n - 1]);
        },
      ),
      { numRuns: 12, seed: 2024 },
    );
  });
});

describe('updateProfile', () => {
  it('counts missing values and type mismatches per kind', () => {
    const values = [
      1,
      2.5,
      Number.NaN,
      null,
      undefined,
      'a',
      true,
      false,
      {},
      Number.POSITIVE_INFINITY,
    ];
    const numerical = profileColumn(values, 'numerical', { seed: 1 });
    expect(numerical.count).toBe(10);
    expect(numerical.missing).toBe(3);
    expect(numerical.types).toEqual({ number: 3, string: 1, boolean: 2, other: 1 });
    expect(validCount(numerical)).toBe(3);
    expect(typeMismatchCount(numerical)).toBe(4);
    expect(missingShare(numerical)).toBe(0.3);

    const categorical = profileColumn(values, 'categorical', { seed: 1 });
    expect(typeMismatchCount(categorical)).toBe(6);
    expect(categoryShares(categorical).categories).toEqual([{ category: 'a', count: 1, share: 1 }]);

    const boolean = profileColumn(values, 'boolean', { seed: 1 });
    expect(typeMismatchCount(boolean)).toBe(5);
    expect(categoryShares(boolean).categories.map((c) => c.category)).toEqual(['false', 'true']);
  });

  it('takes the same path for Float64Array and plain arrays', () => {
    const values = Float64Array.from({ length: 5000 }, (_, i) =>
      i % 97 === 0 ? Number.NaN : Math.cos(i) * 10,
    );
    const typed = profileColumn(values, 'numerical', { seed: 3, histogramEdges: EDGES });
    const plain = createProfile('numerical', { seed: 3, histogramEdges: EDGES });
    for (const x of Array.from(values)) updateProfile(plain, x);
    expect(serializeProfile(typed)).toEqual(serializeProfile(plain));
  });

  it('gives summary statistics of the values', () => {
    const profile = profileColumn([1, 2, 3, 4, null], 'numerical', {
      seed: 1,
      histogramEdges: [0, 2, 4],
    });
    expect(profileMean(profile)).toBe(2.5);
    expect(profileStd(profile)).toBeCloseTo(Math.sqrt(5 / 3), 15);
    expect(profileStd(profile, 0)).toBeCloseTo(Math.sqrt(1.25), 15);
    expect([profileMin(profile), profileMax(profile)]).toEqual([1, 4]);
    expect(profileQuantile(profile, 0.5)).toBe(2);
    expect(distinctEstimate(profile)).toBe(4);
    expect(Array.from(histogramShares(profile)!.shares)).toEqual([0.25, 0.75]);
  });

  it('rejects merging incompatible profiles', () => {
    expect(() => mergeProfiles(createProfile('numerical'), createProfile('categorical'))).toThrow(
      /numerical profile with a categorical/,
    );
    expect(() =>
      mergeProfiles(createProfile('numerical', { kllK: 100 }), createProfile('numerical')),
    ).toThrow(/different sketch settings/);
    expect(() =>
      mergeProfiles(
        createProfile('numerical', { histogramEdges: [0, 1] }),
        createProfile('numerical', { histogramEdges: [0, 2] }),
      ),
    ).toThrow(/different sketch settings/);
  });
});
