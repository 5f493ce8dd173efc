import { describe, expect, it } from 'vitest';
import { generateSample, Mulberry32, type GeneratorSpec } from './prng.js';
import { loadReference, sha256Float64, sha256Lines } from './test/reference.js';

interface PrngReference {
  uint32_vectors: { seed: number; first_uint32: number[]; first_doubles: number[] }[];
  distribution_vectors: {
    generator: GeneratorSpec & { n: number };
    values: (number | string | null)[];
    checksum: { sha256_float64le?: string; sha256_utf8_lines?: string };
  }[];
}

const reference = loadReference<PrngReference>('prng.json');

describe('mulberry32', () => {
  it.each(reference.uint32_vectors)('reproduces the reference outputs for seed $seed', (vector) => {
    const rng = new Mulberry32(vector.seed);
    expect(vector.first_uint32.map(() => rng.nextUint32())).toEqual(vector.first_uint32);
    const doubles = new Mulberry32(vector.seed);
    expect(vector.first_doubles.map(() => doubles.next())).toEqual(vector.first_doubles);
  });
});

describe('generateSample', () => {
  it.each(reference.distribution_vectors.map((v, i) => [`#${i} ${v.generator.dist}`, v] as const))(
    'matches the reference values and checksum for %s',
    (_, vector) => {
      const values = generateSample(vector.generator);
      if (values instanceof Float64Array) {
        expect(sha256Float64(values)).toBe(vector.checksum.sha256_float64le);
        expect(Array.from(values, (x) => (Number.isNaN(x) ? null : x))).toEqual(vector.values);
      } else {
        expect(sha256Lines(values)).toBe(vector.checksum.sha256_utf8_lines);
        expect(values).toEqual(vector.values);
      }
    },
  );
});
