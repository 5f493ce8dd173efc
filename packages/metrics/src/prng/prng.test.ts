import { describe, expect, it } from 'vitest';
import { generateSample, type GeneratorSpec } from './generate.js';
import { mulberry32 } from './mulberry32.js';
import { cases, checksumOf, loadReference, nums, obj, type RefValue } from '../test/reference.js';

const ref = loadReference('prng.json');

describe('mulberry32', () => {
  for (const vector of cases(ref, 'uint32_vectors')) {
    it(`reproduces the uint32 stream and doubles for seed ${String(vector.seed)}`, () => {
      const next = mulberry32(vector.seed as number);
      const expected = nums(vector.first_uint32);
      const got = expected.map(() => next() * 4294967296);
      expect(got).toEqual(expected);
      const again = mulberry32(vector.seed as number);
      const doubles = nums(vector.first_doubles);
      expect(doubles.map(() => again())).toEqual(doubles);
    });
  }
});

describe('generateSample', () => {
  for (const vector of cases(ref, 'distribution_vectors')) {
    const spec = vector.generator as unknown as GeneratorSpec;
    it(`reproduces ${spec.dist} (seed ${String((spec as { seed?: number }).seed)}) bit for bit`, () => {
      const got = generateSample(spec);
      const checksum = obj(vector.checksum);
      expect(checksumOf(got)).toBe(checksum.sha256_float64le ?? checksum.sha256_utf8_lines);
      const values = vector.values as RefValue[];
      expect(got.length).toBe(values.length);
      if (got instanceof Float64Array) {
        expect(Array.from(got, (v) => (Number.isNaN(v) ? null : v))).toEqual(values);
      } else {
        expect(got).toEqual(values);
      }
    });
  }
});
