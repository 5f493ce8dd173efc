import { MetricsError } from '../errors.js';
import { mulberry32 } from './mulberry32.js';

/** Post-processing shared by every generator spec (applied in this order). */
interface PostProcessing {
  n: number;
  quantize?: number;
  missing?: { rate: number; seed: number };
}

export type GeneratorSpec = PostProcessing &
  (
    | { dist: 'uniform'; a: number; b: number; seed: number }
    | { dist: 'normal'; mu: number; sigma: number; seed: number }
    | { dist: 'student_t'; df: number; mu: number; scale: number; seed: number }
    | { dist: 'pareto2'; xm: number; seed: number }
    | { dist: 'exponential_approx'; scale: number; seed: number }
    | { dist: 'discrete'; values: readonly (number | string)[]; weights: readonly number[]; seed: number }
    | { dist: 'integer_uniform'; lo: number; hi: number; seed: number }
    | { dist: 'constant'; value: number }
    | {
        dist: 'mixture';
        p: number;
        a: Omit<GeneratorSpec, 'n'>;
        b: Omit<GeneratorSpec, 'n'>;
        choice_seed: number;
      }
  );

/** Irwin–Hall approximation of a standard normal: sum of 12 uniforms minus 6 (bit-exact). */
function irwinHall(next: () => number): number {
  let s = 0;
  for (let i = 0; i < 12; i++) s += next();
  return s - 6;
}

/**
 * Regenerates a sample from a portable generator spec (shared/reference/prng.json).
 * Numeric specs give a Float64Array with NaN for missing values; a discrete spec over
 * strings gives an array of strings with null for missing values.
 * @throws MetricsError on an unknown distribution.
 */
export function generateSample(spec: GeneratorSpec): Float64Array | (string | null)[] {
  const { n } = spec;
  if (spec.dist === 'discrete' && spec.values.some((v) => typeof v === 'string')) {
    const picked = pickDiscrete(spec.values, spec.weights, spec.seed, n);
    const out: (string | null)[] = picked.map((i) => String(spec.values[i]));
    if (spec.missing) {
      const m = mulberry32(spec.missing.seed);
      for (let i = 0; i < n; i++) if (m() < spec.missing.rate) out[i] = null;
    }
    return out;
  }
  const x = generateNumeric(spec, n);
  if (spec.quantize !== undefined) {
    const step = spec.quantize;
    for (let i = 0; i < n; i++) x[i] = Math.floor(x[i]! / step) * step;
  }
  if (spec.missing) {
    const m = mulberry32(spec.missing.seed);
    for (let i = 0; i < n; i++) if (m() < spec.missing.rate) x[i] = NaN;
  }
  return x;
}

function pickDiscrete(values: readonly unknown[], weights: readonly number[], seed: number, n: number): number[] {
  if (values.length !== weights.length || values.length === 0) {
    throw new MetricsError('discrete generator needs as many weights as values');
  }
  const cum: number[] = [];
  let total = 0;
  for (const w of weights) cum.push((total += w));
  const next = mulberry32(seed);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const u = next() * total;
    let k = 0;
    while (!(u < cum[k]!)) k++;
    out[i] = k;
  }
  return out;
}

function generateNumeric(spec: GeneratorSpec, n: number): Float64Array {
  const x = new Float64Array(n);
  switch (spec.dist) {
    case 'uniform': {
      const next = mulberry32(spec.seed);
      for (let i = 0; i < n; i++) x[i] = spec.a + (spec.b - spec.a) * next();
      return x;
    }
    case 'normal': {
      const next = mulberry32(spec.seed);
      for (let i = 0; i < n; i++) x[i] = spec.mu + spec.sigma * irwinHall(next);
      return x;
    }
    case 'student_t': {
      const next = mulberry32(spec.seed);
      for (let i = 0; i < n; i++) {
        const z0 = irwinHall(next);
        let s = 0;
        for (let j = 1; j <= spec.df; j++) {
          const z = irwinHall(next);
          s = j === 1 ? z * z : s + z * z;
        }
        x[i] = spec.mu + spec.scale * (z0 / Math.sqrt(s / spec.df));
      }
      return x;
    }
    case 'pareto2': {
      const next = mulberry32(spec.seed);
      for (let i = 0; i < n; i++) x[i] = spec.xm / Math.sqrt(1 - next());
      return x;
    }
    case 'exponential_approx': {
      const next = mulberry32(spec.seed);
      for (let i = 0; i < n; i++) {
        const z1 = irwinHall(next);
        const z2 = irwinHall(next);
        x[i] = spec.scale * ((z1 * z1 + z2 * z2) / 2);
      }
      return x;
    }
    case 'discrete': {
      const picked = pickDiscrete(spec.values, spec.weights, spec.seed, n);
      for (let i = 0; i < n; i++) x[i] = Number(spec.values[picked[i]!]);
      return x;
    }
    case 'integer_uniform': {
      const next = mulberry32(spec.seed);
      for (let i = 0; i < n; i++) x[i] = spec.lo + Math.floor(next() * (spec.hi - spec.lo + 1));
      return x;
    }
    case 'constant':
      return x.fill(spec.value);
    case 'mixture': {
      const a = generateSample({ ...spec.a, n } as GeneratorSpec);
      const b = generateSample({ ...spec.b, n } as GeneratorSpec);
      if (!(a instanceof Float64Array) || !(b instanceof Float64Array)) {
        throw new MetricsError('mixture components must be numeric');
      }
      const choice = mulberry32(spec.choice_seed);
      for (let i = 0; i < n; i++) x[i] = choice() < spec.p ? a[i]! : b[i]!;
      return x;
    }
    default: {
      const unknown: { dist?: unknown } = spec;
      throw new MetricsError(`unknown generator distribution ${String(unknown.dist)}`);
    }
  }
}
