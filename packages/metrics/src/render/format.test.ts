import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { count } from './format.js';

describe('count', () => {
  it('writes integers exactly as toLocaleString("en-US") does', () => {
    for (const n of [0, 7, 999, 1000, 100_000, 1_000_000, -1234567, Number.MAX_SAFE_INTEGER, -0, 1.5, 1e21, NaN]) expect(count(n)).toBe(n.toLocaleString('en-US'));
    fc.assert(fc.property(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (n) => count(n) === n.toLocaleString('en-US')));
  });
});
