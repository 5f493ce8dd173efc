import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortFloat64InPlace } from './radix-sort.js';
import { generateSample } from '../prng/generate.js';

describe('radix sort', () => {
  it('agrees with TypedArray#sort on large arrays with negatives, zeros, ties and infinities', () => {
    const x = generateSample({ dist: 'student_t', df: 2, mu: 0, scale: 1, seed: 5, n: 20000 }) as Float64Array;
    x.set([0, -0, Infinity, -Infinity, 1e-310, -1e-310, 3, 3, 3], 100);
    const expected = x.slice().sort();
    sortFloat64InPlace(x);
    expect(Array.from(x)).toEqual(Array.from(expected));
    expect(Object.is(x[x.indexOf(0) - 1], -0) || x.includes(-0)).toBe(true);
  });

  it('agrees with TypedArray#sort on arbitrary arrays', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true }), { minLength: 2048, maxLength: 3000 }), (v) => {
        const x = Float64Array.from(v);
        const expected = x.slice().sort();
        sortFloat64InPlace(x);
        expect(Array.from(x)).toEqual(Array.from(expected));
      }),
      { numRuns: 20 },
    );
  });

  it('orders mostly negative, all negative and all equal arrays', () => {
    for (const make of [
      (i: number) => -i * 0.5 + 100,
      (i: number) => -1 - (i % 977),
      (i: number) => (i % 3 === 0 ? 1e-300 : -2.5),
      () => 7,
      (i: number) => (i % 2 ? -0 : 0),
    ]) {
      for (const n of [2048, 4099]) {
        const x = Float64Array.from({ length: n }, (_, i) => make(i));
        const expected = x.slice().sort();
        sortFloat64InPlace(x);
        expect(Array.from(x)).toEqual(Array.from(expected));
      }
    }
  });
});
