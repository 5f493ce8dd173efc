import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { andersonDarling } from './anderson-darling.js';
import { cramerVonMises } from './cramer-von-mises.js';
import { energyDistance } from './energy-distance.js';
import { hellinger } from './hellinger.js';
import { jensenShannonDistance } from './jensen-shannon.js';
import { ks2samp } from './ks-2samp.js';
import { mannWhitneyU } from './mann-whitney.js';
import { psi } from './psi.js';
import { totalVariation } from './total-variation.js';
import { wassersteinDistance } from './wasserstein.js';
import { sortSample } from '../stats/sample.js';

const sample = fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 60 }).map(sortSample);
const tiedSample = fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 60 }).map((x) => sortSample(x));
const shares = (len: number) =>
  fc.array(fc.double({ min: 1e-6, max: 1, noNaN: true }), { minLength: len, maxLength: len }).map((v) => {
    const s = v.reduce((a, b) => a + b, 0);
    return Float64Array.from(v, (x) => x / s);
  });
const pair = fc.integer({ min: 1, max: 12 }).chain((k) => fc.tuple(shares(k), shares(k)));

describe('drift invariants', () => {
  it('KS statistic lies in [0, 1], p-value in [0, 1], and swapping samples keeps both', () => {
    fc.assert(
      fc.property(fc.oneof(sample, tiedSample), fc.oneof(sample, tiedSample), (a, b) => {
        const r = ks2samp(a, b);
        const s = ks2samp(b, a);
        expect(r.statistic).toBeGreaterThanOrEqual(0);
        expect(r.statistic).toBeLessThanOrEqual(1);
        expect(r.pValue).toBeGreaterThanOrEqual(0);
        expect(r.pValue).toBeLessThanOrEqual(1);
        expect(s.statistic).toBe(r.statistic);
        expect(s.pValue).toBeCloseTo(r.pValue, 12);
      }),
    );
  });

  it('rank tests give p-values in [0, 1]', () => {
    fc.assert(
      fc.property(fc.oneof(sample, tiedSample), fc.oneof(sample, tiedSample), (a, b) => {
        for (const p of [mannWhitneyU(a, b).pValue, cramerVonMises(a, b).pValue]) {
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThanOrEqual(1);
        }
        if (a.length + b.length > 3 && new Set([...a, ...b]).size > 1) {
          const ad = andersonDarling(a, b).pValue;
          expect(ad).toBeGreaterThanOrEqual(0.001);
          expect(ad).toBeLessThanOrEqual(0.25);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('Wasserstein and energy distances are non-negative and symmetric', () => {
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const w = wassersteinDistance(a, b);
        expect(w).toBeGreaterThanOrEqual(0);
        expect(wassersteinDistance(b, a)).toBeCloseTo(w, 9);
        const e = energyDistance(a, b);
        expect(e).toBeGreaterThanOrEqual(0);
        expect(energyDistance(b, a)).toBeCloseTo(e, 9);
      }),
    );
  });

  it('PSI is non-negative and symmetric; JS lies in [0, sqrt(ln 2)] and is symmetric', () => {
    fc.assert(
      fc.property(pair, ([p, q]) => {
        const v = psi(p, q);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(psi(q, p)).toBeCloseTo(v, 9);
        const js = jensenShannonDistance(p, q);
        expect(js).toBeGreaterThanOrEqual(0);
        expect(js).toBeLessThanOrEqual(Math.sqrt(Math.LN2) + 1e-12);
        expect(jensenShannonDistance(q, p)).toBeCloseTo(js, 12);
        expect(jensenShannonDistance(p, q, 2)).toBeLessThanOrEqual(1 + 1e-12);
      }),
      // Found by fast-check: nearly equal shares whose divergences summed to -1e-17 (a NaN distance).
      { examples: [[[Float64Array.from([0.49999999999999967, 0.5000000000000002]), Float64Array.from([0.5000000000000002, 0.4999999999999999])]]] },
    );
  });

  it('Hellinger and TVD lie in [0, 1] and are symmetric', () => {
    fc.assert(
      fc.property(pair, ([p, q]) => {
        for (const f of [hellinger, totalVariation]) {
          const v = f(p, q);
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(1 + 1e-12);
          expect(f(q, p)).toBeCloseTo(v, 12);
        }
      }),
    );
  });
});
