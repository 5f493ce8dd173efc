import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Moments } from './moments.js';

function twoPass(values: readonly number[]): { mean: number; m2: number } {
  const mean = values.reduce((s, x) => s + x, 0) / values.length;
  return { mean, m2: values.reduce((s, x) => s + (x - mean) * (x - mean), 0) };
}

/** Doubles whose squares do not underflow (below ~1e-154 a squared deviation rounds to 0 or a subnormal). */
const finite = fc
  .double({ min: -1e6, max: 1e6, noNaN: true })
  .map((x) => (Math.abs(x) < 1e-100 ? 0 : x));

describe('Moments', () => {
  it('matches a two-pass computation and stays stable with a large offset', () => {
    const values = Array.from({ length: 10_000 }, (_, i) => 1e9 + Math.sin(i));
    const moments = new Moments();
    values.forEach((x) => moments.update(x));
    const exact = twoPass(values);
    expect(Math.abs(moments.mean / exact.mean - 1)).toBeLessThan(1e-14);
    // Σx² − n·mean² would lose every digit here; Welford keeps M2 to about 1e-6 relative.
    expect(Math.abs(moments.m2 / exact.m2 - 1)).toBeLessThan(1e-6);
    expect(Math.abs(moments.variance / (exact.m2 / values.length) - 1)).toBeLessThan(1e-6);
    expect(Math.abs(moments.sampleVariance / (exact.m2 / (values.length - 1)) - 1)).toBeLessThan(
      1e-6,
    );
  });

  it('merges (Chan et al.) to the moments of the union within 1e-9 relative', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(finite, { maxLength: 50 }), {
          minLength: 2,
          maxLength: 5,
        }),
        (parts) => {
          const all = parts.flat();
          const merged = parts
            .map((p) => {
              const m = new Moments();
              p.forEach((x) => m.update(x));
              return m;
            })
            .reduce((a, b) => a.merge(b));
          expect(merged.n).toBe(all.length);
          if (all.length === 0) return;
          const exact = twoPass(all);
          const scale = Math.max(Math.abs(exact.mean), Math.sqrt(exact.m2 / all.length), 1e-300);
          expect(Math.abs(merged.mean - exact.mean) / scale).toBeLessThanOrEqual(1e-9);
          // 1e-9 relative to M2, with an absolute floor of rounding noise (1e-15 · n · scale²) for M2 ≈ 0.
          expect(Math.abs(merged.m2 - exact.m2)).toBeLessThanOrEqual(
            Math.max(1e-9 * exact.m2, 1e-15 * all.length * scale * scale),
          );
          expect(merged.min).toBe(Math.min(...all));
          expect(merged.max).toBe(Math.max(...all));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reports NaN variance when too few values', () => {
    const m = new Moments();
    expect(m.variance).toBeNaN();
    m.update(2);
    expect(m.variance).toBe(0);
    expect(m.sampleVariance).toBeNaN();
  });
});
