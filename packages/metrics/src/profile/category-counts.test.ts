import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CategoryCounts } from './category-counts.js';

function countsOf(values: readonly string[], capacity: number): CategoryCounts {
  const counts = new CategoryCounts(capacity);
  for (const v of values) counts.update(v);
  return counts;
}

function truth(values: readonly string[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const v of values) map.set(v, (map.get(v) ?? 0) + 1);
  return map;
}

/** Skewed categorical streams: category i appears with weight ~ 1/(i+1). */
const skewedStream = fc.array(
  fc.integer({ min: 0, max: 10_000 }).map((u) => `c${Math.floor(60 / (1 + u / 60))}`),
  { minLength: 0, maxLength: 600 },
);

describe('CategoryCounts', () => {
  it('counts exactly while within the cap, and merges exactly', () => {
    const a = countsOf(['x', 'y', 'x'], 5);
    const b = countsOf(['z', 'x'], 5);
    const merged = a.clone().merge(b);
    expect(merged.exact).toBe(true);
    expect(merged.entries()).toEqual([
      ['x', 3],
      ['y', 1],
      ['z', 1],
    ]);
    expect(merged.errorBound).toBe(0);
  });

  it('keeps the Misra-Gries bound f - N/(cap+1) <= count <= f through any split and merge order', () => {
    fc.assert(
      fc.property(
        skewedStream,
        fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (values, cuts, reverse) => {
          const capacity = 8;
          const points = [...new Set(cuts.map((c) => c % (values.length + 1)))].sort(
            (a, b) => a - b,
          );
          const parts: string[][] = [];
          let start = 0;
          for (const p of [...points, values.length]) {
            parts.push(values.slice(start, p));
            start = p;
          }
          const sketches = parts.map((p) => countsOf(p, capacity));
          const merged = reverse
            ? sketches.reduceRight((a, b) => a.merge(b))
            : sketches.reduce((a, b) => a.merge(b));
          const exact = truth(values);
          const n = values.length;
          expect(merged.total).toBe(n);
          const bound = merged.errorBound;
          expect(bound).toBeLessThanOrEqual(n / (capacity + 1) + 1e-12);
          expect(merged.counts.size).toBeLessThanOrEqual(capacity);
          for (const [key, f] of exact) {
            const c = merged.counts.get(key) ?? 0;
            expect(c).toBeLessThanOrEqual(f);
            expect(c).toBeGreaterThanOrEqual(f - bound - 1e-9);
            if (f > n / (capacity + 1)) expect(merged.counts.has(key)).toBe(true);
          }
          if (merged.exact) expect(new Map(merged.entries())).toEqual(exact);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('switches to heavy hitters past the cap and keeps the dominant category', () => {
    const values = Array.from({ length: 5000 }, (_, i) => (i % 3 === 0 ? `id-${i}` : 'common'));
    const counts = countsOf(values, 100);
    expect(counts.exact).toBe(false);
    const common = counts.counts.get('common')!;
    expect(common).toBeLessThanOrEqual(3333);
    expect(common).toBeGreaterThanOrEqual(3333 - 5000 / 101);
  });
});
