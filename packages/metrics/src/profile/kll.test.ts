import { describe, expect, it } from 'vitest';
import { KllSketch, kllRankErrorBound } from './kll.js';
import { generateSample } from '../prng/generate.js';
import { loadReference, numericSample, type ReferenceSample } from './test/reference.js';

interface QuantileCase {
  id: string;
  inputs: { sample: ReferenceSample };
  expected: {
    levels: number[];
    n: number;
    min: number;
    max: number;
    inverted_cdf: number[];
    inverted_cdf_rank_lt: number[];
    inverted_cdf_rank_le: number[];
  };
}

const reference = loadReference<{ cases: QuantileCase[] }>('quantiles.json');
const K = 200;
const BOUND = kllRankErrorBound(K);

/** Exact #(x < v) and #(x ≤ v) by binary search on sorted data. */
function exactRanks(sorted: Float64Array, v: number): [number, number] {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  const lt = lo;
  hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return [lt, lo];
}

/** Normalized rank error of estimate e at level q: dist(q·n, [#(x<e), #(x≤e)]) / n (quantiles.json's rank_fields). */
function rankError(sorted: Float64Array, q: number, e: number): number {
  const [lt, le] = exactRanks(sorted, e);
  const target = q * sorted.length;
  return (target < lt ? lt - target : target > le ? target - le : 0) / sorted.length;
}

function sketchOf(values: Float64Array, seed: number, parts = 1): KllSketch {
  const sketches = Array.from({ length: parts }, (_, p) => new KllSketch(K, seed * 31 + p));
  values.forEach((x, i) => sketches[i % parts]!.update(x));
  return sketches.reduce((a, b) => a.merge(b));
}

function maxRankError(sketch: KllSketch, sorted: Float64Array, levels: readonly number[]): number {
  return Math.max(...levels.map((q) => rankError(sorted, q, sketch.quantile(q))));
}

describe('KllSketch against numpy reference quantiles', () => {
  it.each(reference.cases.map((c) => [c.id, c] as const))(
    'keeps the rank error within the bound on %s',
    (_, testCase) => {
      const values = numericSample(testCase.inputs.sample);
      const sorted = values.slice().sort();
      const { expected } = testCase;
      // The regenerated sample reproduces numpy's rank counts at numpy's quantiles.
      expected.levels.forEach((_, i) => {
        expect(exactRanks(sorted, expected.inverted_cdf[i]!)).toEqual([
          expected.inverted_cdf_rank_lt[i],
          expected.inverted_cdf_rank_le[i],
        ]);
      });
      for (const parts of [1, 5]) {
        const sketch = sketchOf(values, 7, parts);
        expect(sketch.n).toBe(expected.n);
        expect(sketch.min).toBe(expected.min);
        expect(sketch.max).toBe(expected.max);
        expect(maxRankError(sketch, sorted, expected.levels)).toBeLessThanOrEqual(BOUND);
        // rank() at numpy's quantile values against numpy's exact rank counts.
        expected.levels.forEach((_, i) => {
          const estimate = sketch.rank(expected.inverted_cdf[i]!);
          expect(
            Math.abs(estimate - expected.inverted_cdf_rank_le[i]!) / expected.n,
          ).toBeLessThanOrEqual(BOUND);
        });
        if (expected.n <= K) {
          // Nothing has been compacted: the sketch is exact and matches numpy's inverted_cdf.
          expect(expected.levels.map((q) => sketch.quantile(q))).toEqual(expected.inverted_cdf);
        }
      }
    },
  );
});

describe('KllSketch error bound', () => {
  it('stays within 2.296/k^0.9723 on at least 99% of seeds, for single and merged sketches', () => {
    const n = 100_000;
    const values = generateSample(
      { dist: 'exponential_approx', scale: 1, seed: 99, n },
    ) as Float64Array;
    const sorted = values.slice().sort();
    const levels = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);
    const errors: number[] = [];
    for (let seed = 0; seed < 40; seed++) {
      const single = sketchOf(values, seed);
      const merged = sketchOf(values, seed + 1000, 1 + (seed % 4) + 1);
      // Per-query errors, as the bound is stated per query.
      for (const q of levels) {
        errors.push(
          rankError(sorted, q, single.quantile(q)),
          rankError(sorted, q, merged.quantile(q)),
        );
      }
    }
    errors.sort((a, b) => a - b);
    const p99 = errors[Math.floor(errors.length * 0.99)]!;
    expect(p99).toBeLessThanOrEqual(BOUND);
    expect(errors[errors.length - 1]!).toBeLessThanOrEqual(2 * BOUND);
  });

  it('keeps its size bounded as n grows', () => {
    const sketch = new KllSketch(K, 1);
    for (let i = 0; i < 2_000_000; i++) sketch.update((i * 7919) % 1_000_003);
    expect(sketch.retainedItems).toBeLessThan(3 * K + 8 * sketch.levelCount);
  });
});

describe('KllSketch state', () => {
  it('restores to a sketch that behaves identically', () => {
    const values = generateSample(
      { dist: 'normal', mu: 0, sigma: 1, seed: 5, n: 20_000 },
    ) as Float64Array;
    const a = sketchOf(values, 3, 3);
    const b = KllSketch.restore(a.state());
    for (let i = 0; i < 5000; i++) {
      a.update(i / 100);
      b.update(i / 100);
    }
    expect(b.state()).toEqual(a.state());
  });

  it('ignores NaN and returns NaN quantiles when empty', () => {
    const sketch = new KllSketch();
    sketch.update(Number.NaN);
    expect(sketch.n).toBe(0);
    expect(sketch.quantile(0.5)).toBeNaN();
    expect(sketch.cdf(1)).toBeNaN();
  });

  it('rejects merging sketches with different k', () => {
    expect(() => new KllSketch(100).merge(new KllSketch(200))).toThrow(/different k/);
  });
});
