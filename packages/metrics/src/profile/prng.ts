/**
 * mulberry32 and the portable distributions of `reference/prng.json`.
 *
 * The generator and every distribution use only + − × ÷ floor √ on doubles, so V8 and numpy
 * produce the same bits; tests regenerate large reference samples from their generator spec
 * and check them against the stored SHA-256. The sketches also use `Mulberry32` for their
 * seeded coins, because its whole state is one uint32 that serializes exactly.
 *
 * Reference: Tommy Ettinger's mulberry32; spec and test vectors in `reference/prng.json`.
 */

/** A mulberry32 generator whose state (one uint32) can be read and restored. */
export class Mulberry32 {
  state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** The next output as an unsigned 32-bit integer. */
  nextUint32(): number {
    const a = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t = (t + Math.imul(t ^ (t >>> 7), t | 61)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** The next output as a double in [0, 1) with 32 random bits (the spec's `u`). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A double in [0, 1) with 53 random bits, from two outputs. */
  next53(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }
}

/** Fields every generator spec may carry: size and post-processing. */
interface SpecCommon {
  n?: number;
  quantize?: number;
  missing?: MissingSpec;
}

/** A generator spec as written in the reference files. */
export type GeneratorSpec = SpecCommon &
  (
    | { dist: 'uniform'; a: number; b: number; seed: number }
    | { dist: 'normal'; mu: number; sigma: number; seed: number }
    | { dist: 'student_t'; df: number; mu: number; scale: number; seed: number }
    | { dist: 'pareto2'; xm: number; seed: number }
    | { dist: 'exponential_approx'; scale: number; seed: number }
    | {
        dist: 'discrete';
        values: readonly (number | string)[];
        weights: readonly number[];
        seed: number;
      }
    | { dist: 'integer_uniform'; lo: number; hi: number; seed: number }
    | { dist: 'constant'; value: number | string }
    | { dist: 'mixture'; p: number; a: GeneratorSpec; b: GeneratorSpec; choice_seed: number }
  );

export interface MissingSpec {
  rate: number;
  seed: number;
}

/** Irwin–Hall approximate standard normal: the sum of 12 uniforms minus 6 (exact in doubles). */
function standardNormal(rng: Mulberry32): number {
  let s = 0;
  for (let i = 0; i < 12; i++) s += rng.next();
  return s - 6;
}

/**
 * Generates `n` values from a spec. Numeric samples come back as a Float64Array with NaN for
 * missing values; a `discrete`/`constant` spec over strings comes back as an array of strings
 * with `null` for missing values.
 */
export function generateSample(
  spec: GeneratorSpec,
  n = spec.n ?? 0,
): Float64Array | (string | null)[] {
  const raw = generateRaw(spec, n);
  const quantize = spec.quantize;
  const missing = spec.missing;
  if (raw instanceof Float64Array) {
    if (quantize !== undefined)
      for (let i = 0; i < n; i++) raw[i] = Math.floor(raw[i]! / quantize) * quantize;
    if (missing !== undefined) {
      const m = new Mulberry32(missing.seed);
      for (let i = 0; i < n; i++) if (m.next() < missing.rate) raw[i] = Number.NaN;
    }
    return raw;
  }
  if (missing !== undefined) {
    const m = new Mulberry32(missing.seed);
    for (let i = 0; i < n; i++) if (m.next() < missing.rate) raw[i] = null;
  }
  return raw;
}

function generateRaw(spec: GeneratorSpec, n: number): Float64Array | (string | null)[] {
  switch (spec.dist) {
    case 'uniform': {
      const rng = new Mulberry32(spec.seed);
      return Float64Array.from({ length: n }, () => spec.a + (spec.b - spec.a) * rng.next());
    }
    case 'normal': {
      const rng = new Mulberry32(spec.seed);
      return Float64Array.from({ length: n }, () => spec.mu + spec.sigma * standardNormal(rng));
    }
    case 'student_t': {
      const rng = new Mulberry32(spec.seed);
      return Float64Array.from({ length: n }, () => {
        const z0 = standardNormal(rng);
        const z1 = standardNormal(rng);
        let s = z1 * z1;
        for (let j = 2; j <= spec.df; j++) {
          const z = standardNormal(rng);
          s = s + z * z;
        }
        return spec.mu + spec.scale * (z0 / Math.sqrt(s / spec.df));
      });
    }
    case 'pareto2': {
      const rng = new Mulberry32(spec.seed);
      return Float64Array.from({ length: n }, () => spec.xm / Math.sqrt(1 - rng.next()));
    }
    case 'exponential_approx': {
      const rng = new Mulberry32(spec.seed);
      return Float64Array.from({ length: n }, () => {
        const z1 = standardNormal(rng);
        const z2 = standardNormal(rng);
        return spec.scale * ((z1 * z1 + z2 * z2) / 2);
      });
    }
    case 'discrete': {
      const rng = new Mulberry32(spec.seed);
      const cumulative: number[] = [];
      let total = 0;
      for (const w of spec.weights) cumulative.push((total += w));
      const pick = (): number | string => {
        const target = rng.next() * total;
        let k = 0;
        while (!(target < cumulative[k]!)) k++;
        return spec.values[k]!;
      };
      if (spec.values.every((v) => typeof v === 'number'))
        return Float64Array.from({ length: n }, () => pick() as number);
      return Array.from({ length: n }, () => String(pick()));
    }
    case 'integer_uniform': {
      const rng = new Mulberry32(spec.seed);
      return Float64Array.from(
        { length: n },
        () => spec.lo + Math.floor(rng.next() * (spec.hi - spec.lo + 1)),
      );
    }
    case 'constant': {
      const value = spec.value;
      if (typeof value === 'number') return new Float64Array(n).fill(value);
      return Array.from({ length: n }, () => value);
    }
    case 'mixture': {
      const a = generateSample(spec.a, n);
      const b = generateSample(spec.b, n);
      const choice = new Mulberry32(spec.choice_seed);
      if (a instanceof Float64Array && b instanceof Float64Array) {
        return Float64Array.from({ length: n }, (_, i) => (choice.next() < spec.p ? a[i]! : b[i]!));
      }
      return Array.from({ length: n }, (_, i) => String(choice.next() < spec.p ? a[i] : b[i]));
    }
  }
}
