/**
 * JSON form of column profiles (format version 1).
 *
 * Compact and exact: Float64 and Uint32 arrays (KLL levels, reservoir keys and values,
 * histogram edges, HyperLogLog exact hashes) are base64 of their little-endian bytes; the
 * HyperLogLog registers are base64 bytes; counts are JSON integers; doubles that may be
 * non-finite use "Infinity" / "-Infinity" / "NaN". Sketches are written in a canonical
 * order (levels, keys and hashes sorted), so equal profiles serialize to equal JSON and
 * `serialize(deserialize(s))` deep-equals `s`. A deserialized profile behaves exactly like
 * the original, including its random coins.
 *
 * Size bound (default settings), whatever the number of values n:
 *   KLL ≤ (≈ 3k + 8·log2(n/k)) doubles (≈ 5.4 KB raw at n = 10^7),
 *   reservoir ≤ 2 × 1,000 doubles (16 KB raw),
 *   HyperLogLog ≤ 4,096 bytes (or ≤ 1,024 exact hashes × 8 bytes),
 *   histogram = edges and counts of the reference's bins,
 *   categories ≤ 1,000 entries (their own string length plus a count);
 * base64 adds a third. A numerical profile of 10^7 values with a 10-bin histogram is 34.4 KB of JSON (measured).
 */
import {
  base64ToBytes,
  base64ToFloat64,
  base64ToUint32,
  bytesToBase64,
  decodeFloat,
  encodeFloat,
  float64ToBase64,
  readArray,
  readCount,
  readObject,
  readString,
  uint32ToBase64,
  type JsonFloat,
} from './codec.js';
import { CategoryCounts } from './category-counts.js';
import {
  COLUMN_KINDS,
  createProfile,
  type CategoricalProfile,
  type ColumnKind,
  type ColumnProfile,
  type NumericalProfile,
} from './column-profile.js';
import { profileFormatError } from './errors.js';
import { FixedHistogram } from './histogram.js';
import { HyperLogLog } from './hyperloglog.js';
import { KllSketch } from './kll.js';
import { Moments } from './moments.js';
import { Reservoir } from './reservoir.js';

export const PROFILE_FORMAT_VERSION = 1;

export type SerializedHyperLogLog = { hashes: string } | { registers: string };

export interface SerializedColumnProfile {
  v: 1;
  kind: ColumnKind;
  /** Settings: seed, KLL k, HLL precision, exact-distinct limit, category cap, reservoir size. */
  opts: { seed: number; k: number; p: number; exact: number; cap: number; reservoir: number };
  count: number;
  missing: number;
  /** Type counts: [number, string, boolean, other]. */
  types: [number, number, number, number];
  hll: SerializedHyperLogLog;
  num?: {
    /** [n, mean, M2, min, max]. */
    moments: [number, JsonFloat, JsonFloat, JsonFloat, JsonFloat];
    kll: { n: number; min: JsonFloat; max: JsonFloat; rng: number; levels: string[] };
    hist: { edges: string; counts: number[]; below: number; above: number } | null;
    reservoir: { n: number; skip: number; rng: number; keys: string; values: string };
  };
  cat?: { total: number; exact: boolean; keys: string[]; counts: number[] };
}

function serializeHll(sketch: HyperLogLog): SerializedHyperLogLog {
  const hashes = sketch.exactHashes();
  return hashes !== null
    ? { hashes: uint32ToBase64(hashes) }
    : { registers: bytesToBase64(sketch.registers) };
}

export function serializeProfile(profile: ColumnProfile): SerializedColumnProfile {
  const o = profile.options;
  const out: SerializedColumnProfile = {
    v: PROFILE_FORMAT_VERSION,
    kind: profile.kind,
    opts: {
      seed: o.seed,
      k: o.kllK,
      p: o.hllPrecision,
      exact: o.exactDistinctLimit,
      cap: o.categoryCap,
      reservoir: o.reservoirSize,
    },
    count: profile.count,
    missing: profile.missing,
    types: [profile.types.number, profile.types.string, profile.types.boolean, profile.types.other],
    hll: serializeHll(profile.distinct),
  };
  if (profile.kind === 'numerical') {
    const m = profile.moments;
    const kll = profile.quantiles.state();
    const res = profile.sample.state();
    const hist = profile.histogram;
    out.num = {
      moments: [
        m.n,
        encodeFloat(m.mean),
        encodeFloat(m.m2),
        encodeFloat(m.min),
        encodeFloat(m.max),
      ],
      kll: {
        n: kll.n,
        min: encodeFloat(kll.min),
        max: encodeFloat(kll.max),
        rng: kll.rngState,
        levels: kll.levels.map((level) => float64ToBase64(level)),
      },
      hist:
        hist === null
          ? null
          : {
              edges: float64ToBase64(hist.edges),
              counts: Array.from(hist.counts),
              below: hist.below,
              above: hist.above,
            },
      reservoir: {
        n: res.n,
        skip: res.skip,
        rng: res.rngState,
        keys: float64ToBase64(res.keys),
        values: float64ToBase64(res.values),
      },
    };
  } else {
    const entries = profile.categories.entries();
    out.cat = {
      total: profile.categories.total,
      exact: profile.categories.exact,
      keys: entries.map(([key]) => key),
      counts: entries.map(([, count]) => count),
    };
  }
  return out;
}

/**
 * Reads a serialized profile (an object, or its JSON text), validating every field.
 * Throws a VALIDATION_FAILED `VigilError` on an unknown version or a malformed field.
 */
export function deserializeProfile(input: unknown): ColumnProfile {
  const json = readObject(typeof input === 'string' ? parseJson(input) : input, 'profile');
  if (json.v !== PROFILE_FORMAT_VERSION) {
    throw profileFormatError(
      `unsupported profile format version ${JSON.stringify(json.v)} (this build reads version ${PROFILE_FORMAT_VERSION})`,
    );
  }
  const kind = json.kind;
  if (typeof kind !== 'string' || !(COLUMN_KINDS as readonly string[]).includes(kind)) {
    throw profileFormatError(`unknown column kind ${JSON.stringify(kind)}`);
  }
  const opts = readObject(json.opts, 'opts');
  const options = {
    seed: readCount(opts.seed, 'opts.seed'),
    kllK: readCount(opts.k, 'opts.k'),
    hllPrecision: readCount(opts.p, 'opts.p'),
    exactDistinctLimit: readCount(opts.exact, 'opts.exact'),
    categoryCap: readCount(opts.cap, 'opts.cap'),
    reservoirSize: readCount(opts.reservoir, 'opts.reservoir'),
  };
  const num = json.num === undefined ? undefined : readObject(json.num, 'num');
  const hist = num === undefined || num.hist === null ? null : readObject(num.hist, 'num.hist');
  const edges = hist === null ? null : readFloat64s(hist.edges, 'num.hist.edges');
  const profile = guard(() =>
    createProfile(kind as ColumnKind, { ...options, histogramEdges: edges }),
  );

  profile.count = readCount(json.count, 'count');
  profile.missing = readCount(json.missing, 'missing');
  const types = readArray(json.types, 'types');
  if (types.length !== 4)
    throw profileFormatError('types: expected [number, string, boolean, other]');
  profile.types.number = readCount(types[0], 'types[0]');
  profile.types.string = readCount(types[1], 'types[1]');
  profile.types.boolean = readCount(types[2], 'types[2]');
  profile.types.other = readCount(types[3], 'types[3]');
  if (
    profile.missing +
      profile.types.number +
      profile.types.string +
      profile.types.boolean +
      profile.types.other !==
    profile.count
  ) {
    throw profileFormatError('count does not equal missing plus the type counts');
  }

  const hll = readObject(json.hll, 'hll');
  const distinct = guard(() =>
    HyperLogLog.restore(
      { precision: options.hllPrecision, exactLimit: options.exactDistinctLimit },
      typeof hll.hashes === 'string'
        ? { hashes: base64ToUint32(hll.hashes, 'hll.hashes') }
        : { registers: base64ToBytes(readString(hll.registers, 'hll.registers'), 'hll.registers') },
    ),
  );
  const withDistinct = { ...profile, distinct };

  if (withDistinct.kind === 'numerical') {
    if (num === undefined) throw profileFormatError('numerical profile without "num"');
    return readNumerical(withDistinct, num, hist);
  }
  return readCategorical(withDistinct, readObject(json.cat, 'cat'));
}

function readNumerical(
  profile: NumericalProfile,
  num: Record<string, unknown>,
  hist: Record<string, unknown> | null,
): NumericalProfile {
  const moments = readArray(num.moments, 'num.moments');
  if (moments.length !== 5)
    throw profileFormatError('num.moments: expected [n, mean, M2, min, max]');
  const m = new Moments();
  m.n = readCount(moments[0], 'num.moments[0]');
  m.mean = decodeFloat(moments[1], 'num.moments[1]');
  m.m2 = decodeFloat(moments[2], 'num.moments[2]');
  m.min = decodeFloat(moments[3], 'num.moments[3]');
  m.max = decodeFloat(moments[4], 'num.moments[4]');

  const kll = fields(num.kll, 'num.kll');
  const quantiles = guard(() =>
    KllSketch.restore({
      k: profile.options.kllK,
      n: kll.count('n'),
      min: kll.float('min'),
      max: kll.float('max'),
      rngState: kll.count('rng'),
      levels: readArray(kll.raw.levels, 'num.kll.levels').map((level, h) =>
        readFloat64s(level, `num.kll.levels[${h}]`),
      ),
    }),
  );

  let histogram: FixedHistogram | null = null;
  if (hist !== null && profile.histogram !== null) {
    histogram = profile.histogram;
    const counts = readArray(hist.counts, 'num.hist.counts');
    if (counts.length !== histogram.counts.length)
      throw profileFormatError('num.hist.counts: length does not match edges');
    counts.forEach((c, i) => (histogram!.counts[i] = readCount(c, `num.hist.counts[${i}]`)));
    histogram.below = readCount(hist.below, 'num.hist.below');
    histogram.above = readCount(hist.above, 'num.hist.above');
  }

  const res = fields(num.reservoir, 'num.reservoir');
  const sample = guard(() =>
    Reservoir.restore({
      capacity: profile.options.reservoirSize,
      n: res.count('n'),
      skip: res.count('skip'),
      rngState: res.count('rng'),
      keys: res.float64s('keys'),
      values: res.float64s('values'),
    }),
  );
  if (m.n !== profile.types.number || quantiles.n !== m.n || sample.n !== m.n) {
    throw profileFormatError(
      'numerical counts disagree (types.number, moments, KLL and reservoir must all count the same values)',
    );
  }
  return { ...profile, moments: m, quantiles, histogram, sample };
}

function readCategorical(
  profile: CategoricalProfile,
  cat: Record<string, unknown>,
): CategoricalProfile {
  const keys = readArray(cat.keys, 'cat.keys');
  const counts = readArray(cat.counts, 'cat.counts');
  if (keys.length !== counts.length)
    throw profileFormatError('cat.keys and cat.counts differ in length');
  if (keys.length > profile.options.categoryCap)
    throw profileFormatError('cat: more categories than the cap');
  const categories = new CategoryCounts(profile.options.categoryCap);
  keys.forEach((key, i) => {
    const name = readString(key, `cat.keys[${i}]`);
    if (categories.counts.has(name))
      throw profileFormatError(`cat.keys: duplicate category ${JSON.stringify(name)}`);
    categories.counts.set(name, readCount(counts[i], `cat.counts[${i}]`));
  });
  categories.total = readCount(cat.total, 'cat.total');
  if (typeof cat.exact !== 'boolean') throw profileFormatError('cat.exact: expected a boolean');
  categories.exact = cat.exact;
  return { ...profile, categories };
}

/** Typed readers for the fields of one nested object, naming the field's path in errors. */
function fields(value: unknown, path: string) {
  const raw = readObject(value, path);
  return {
    raw,
    count: (key: string) => readCount(raw[key], `${path}.${key}`),
    float: (key: string) => decodeFloat(raw[key], `${path}.${key}`),
    float64s: (key: string) => readFloat64s(raw[key], `${path}.${key}`),
  };
}

function readFloat64s(x: unknown, what: string): Float64Array {
  return base64ToFloat64(readString(x, what), what);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw profileFormatError(`not valid JSON (${(error as Error).message})`);
  }
}

/** Re-labels configuration errors raised while rebuilding sketches as format errors. */
function guard<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof Error && !error.message.startsWith('Invalid serialized profile')) {
      throw profileFormatError(error.message);
    }
    throw error;
  }
}
