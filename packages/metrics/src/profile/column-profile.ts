/**
 * Mergeable column profiles.
 *
 * A profile summarizes one column of a window: exact counts (values, missing, per-type),
 * and per kind a set of mergeable sketches. `mergeProfiles(profile(a), profile(b))` is the
 * profile of a ∪ b: exactly for counts, types, min/max, exact categories and histogram
 * counts; to rounding for mean and M2 (Chan's update); within each sketch's stated bound
 * for quantiles (KLL), distinct counts (HyperLogLog) and heavy hitters (Misra–Gries); and
 * the reservoir of a merge is distributed exactly as the reservoir of the union.
 *
 * Values: `null`, `undefined` and NaN are missing. A numerical column expects numbers
 * (±Infinity included), a categorical column strings, a boolean column booleans; any other
 * non-missing value is counted in `types` and as a type mismatch, and is left out of the
 * sketches. Numbers are not parsed from strings, nor strings made from numbers.
 *
 * Randomized parts (KLL coins, reservoir keys) are seeded from `options.seed`. Profiles that
 * will be merged must use different seeds (for example a hash of the window key); without a
 * seed, one is drawn at random.
 */
import { CategoryCounts, DEFAULT_CATEGORY_CAP } from './category-counts.js';
import { profileConfigError } from './errors.js';
import { FixedHistogram } from './histogram.js';
import { DEFAULT_EXACT_DISTINCT_LIMIT, DEFAULT_HLL_PRECISION, HyperLogLog } from './hyperloglog.js';
import { DEFAULT_KLL_K, KllSketch } from './kll.js';
import { Moments } from './moments.js';
import { DEFAULT_RESERVOIR_SIZE, Reservoir } from './reservoir.js';

export type { ColumnKind } from '@vigil/contracts';
import type { ColumnKind } from '@vigil/contracts';

export const COLUMN_KINDS: readonly ColumnKind[] = ['numerical', 'categorical', 'boolean'];

export interface ProfileOptions {
  /** Seed of the randomized sketches (uint32). Default: random. */
  seed?: number;
  /** KLL accuracy parameter (default 200). */
  kllK?: number;
  /** HyperLogLog precision p (default 12). */
  hllPrecision?: number;
  /** Distinct values counted exactly before HyperLogLog takes over (default 1,024). */
  exactDistinctLimit?: number;
  /** Categories counted exactly before the heavy-hitters summary takes over (default 1,000). */
  categoryCap?: number;
  /** Reservoir sample size (default 1,000). */
  reservoirSize?: number;
  /** Histogram bin edges, normally the reference profile's (numerical columns only). */
  histogramEdges?: ArrayLike<number> | null;
}

export interface ResolvedProfileOptions {
  readonly seed: number;
  readonly kllK: number;
  readonly hllPrecision: number;
  readonly exactDistinctLimit: number;
  readonly categoryCap: number;
  readonly reservoirSize: number;
  readonly histogramEdges: Float64Array | null;
}

/** Non-missing values by JavaScript type. */
export interface TypeCounts {
  number: number;
  string: number;
  boolean: number;
  other: number;
}

interface ProfileBase {
  readonly options: ResolvedProfileOptions;
  /** Values seen, missing ones included. */
  count: number;
  /** Values that were null, undefined or NaN. */
  missing: number;
  readonly types: TypeCounts;
}

export interface NumericalProfile extends ProfileBase {
  readonly kind: 'numerical';
  readonly moments: Moments;
  readonly quantiles: KllSketch;
  readonly histogram: FixedHistogram | null;
  readonly distinct: HyperLogLog;
  readonly sample: Reservoir;
}

export interface CategoricalProfile extends ProfileBase {
  readonly kind: 'categorical' | 'boolean';
  readonly categories: CategoryCounts;
  readonly distinct: HyperLogLog;
}

export type ColumnProfile = NumericalProfile | CategoricalProfile;

/** Fills in defaults and validates options. */
export function resolveProfileOptions(options: ProfileOptions = {}): ResolvedProfileOptions {
  const seed = options.seed ?? Math.floor(Math.random() * 4294967296);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw profileConfigError(`Profile seed must be an integer in [0, 2^32), got ${seed}`);
  }
  const edges = options.histogramEdges;
  return {
    seed,
    kllK: options.kllK ?? DEFAULT_KLL_K,
    hllPrecision: options.hllPrecision ?? DEFAULT_HLL_PRECISION,
    exactDistinctLimit: options.exactDistinctLimit ?? DEFAULT_EXACT_DISTINCT_LIMIT,
    categoryCap: options.categoryCap ?? DEFAULT_CATEGORY_CAP,
    reservoirSize: options.reservoirSize ?? DEFAULT_RESERVOIR_SIZE,
    histogramEdges: edges === undefined || edges === null ? null : Float64Array.from(edges),
  };
}

/** Derives independent per-sketch seeds from one seed (a splitmix-style finalizer). */
export function deriveSeed(seed: number, stream: number): number {
  let h = (seed ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const KLL_STREAM = 1;
const RESERVOIR_STREAM = 2;

/** An empty profile for a column of the given kind. */
export function createProfile(kind: ColumnKind, options: ProfileOptions = {}): ColumnProfile {
  if (!COLUMN_KINDS.includes(kind))
    throw profileConfigError(`Unknown column kind: ${String(kind)}`);
  const resolved = resolveProfileOptions(options);
  const base = {
    options: resolved,
    count: 0,
    missing: 0,
    types: { number: 0, string: 0, boolean: 0, other: 0 },
  };
  const distinct = new HyperLogLog({
    precision: resolved.hllPrecision,
    exactLimit: resolved.exactDistinctLimit,
  });
  if (kind === 'numerical') {
    return {
      ...base,
      kind,
      moments: new Moments(),
      quantiles: new KllSketch(resolved.kllK, deriveSeed(resolved.seed, KLL_STREAM)),
      histogram:
        resolved.histogramEdges === null ? null : new FixedHistogram(resolved.histogramEdges),
      distinct,
      sample: new Reservoir(resolved.reservoirSize, deriveSeed(resolved.seed, RESERVOIR_STREAM)),
    };
  }
  return { ...base, kind, categories: new CategoryCounts(resolved.categoryCap), distinct };
}

/** Adds one value to a profile (in place). */
export function updateProfile(profile: ColumnProfile, value: unknown): void {
  if (typeof value === 'number') {
    if (value !== value) {
      profile.count++;
      profile.missing++;
    } else if (profile.kind === 'numerical') addNumber(profile, value);
    else {
      profile.count++;
      profile.types.number++;
    }
    return;
  }
  profile.count++;
  if (value === null || value === undefined) profile.missing++;
  else if (typeof value === 'string') {
    profile.types.string++;
    if (profile.kind === 'categorical') addCategory(profile, value);
  } else if (typeof value === 'boolean') {
    profile.types.boolean++;
    if (profile.kind === 'boolean') addCategory(profile, value ? 'true' : 'false');
  } else profile.types.other++;
}

function addNumber(profile: NumericalProfile, x: number): void {
  profile.count++;
  profile.types.number++;
  profile.moments.update(x);
  profile.quantiles.update(x);
  profile.histogram?.update(x);
  profile.distinct.addNumber(x);
  profile.sample.offer(x);
}

function addCategory(profile: CategoricalProfile, category: string): void {
  profile.categories.update(category);
  profile.distinct.addString(category);
}

/** Adds `n` missing values at once (a column absent from some rows). */
export function addMissing(profile: ColumnProfile, n: number): void {
  profile.count += n;
  profile.missing += n;
}

/** Profiles an array of values (a Float64Array takes a tighter loop). */
export function profileColumn(
  values: ArrayLike<unknown> | Float64Array,
  kind: ColumnKind,
  options: ProfileOptions = {},
): ColumnProfile {
  const profile = createProfile(kind, options);
  if (values instanceof Float64Array && profile.kind === 'numerical') {
    for (let i = 0; i < values.length; i++) {
      const x = values[i]!;
      if (x !== x) {
        profile.count++;
        profile.missing++;
      } else addNumber(profile, x);
    }
    return profile;
  }
  for (let i = 0; i < values.length; i++) updateProfile(profile, values[i]);
  return profile;
}

function sameOptions(a: ResolvedProfileOptions, b: ResolvedProfileOptions): boolean {
  if (
    a.kllK !== b.kllK ||
    a.hllPrecision !== b.hllPrecision ||
    a.exactDistinctLimit !== b.exactDistinctLimit ||
    a.categoryCap !== b.categoryCap ||
    a.reservoirSize !== b.reservoirSize
  ) {
    return false;
  }
  const x = a.histogramEdges;
  const y = b.histogramEdges;
  if (x === null || y === null) return x === y;
  return x.length === y.length && x.every((edge, i) => Object.is(edge, y[i]));
}

/** A deep copy of a profile. */
export function cloneProfile(profile: ColumnProfile): ColumnProfile {
  const base = {
    options: profile.options,
    count: profile.count,
    missing: profile.missing,
    types: { ...profile.types },
  };
  if (profile.kind === 'numerical') {
    return {
      ...base,
      kind: profile.kind,
      moments: profile.moments.clone(),
      quantiles: profile.quantiles.clone(),
      histogram: profile.histogram?.clone() ?? null,
      distinct: profile.distinct.clone(),
      sample: profile.sample.clone(),
    };
  }
  return {
    ...base,
    kind: profile.kind,
    categories: profile.categories.clone(),
    distinct: profile.distinct.clone(),
  };
}

/**
 * The profile of the union of two profiled windows. Pure: returns a new profile and leaves
 * both inputs untouched. Both must have the same kind and sketch settings (seeds may differ).
 */
export function mergeProfiles(a: ColumnProfile, b: ColumnProfile): ColumnProfile {
  checkMergeable(a, b);
  return mergeProfileInto(cloneProfile(a), b);
}

/**
 * Folds `b` into `target`, changing `target` (and not `b`): the allocation-free form of
 * `mergeProfiles` for a caller that owns `target` — merging many window profiles into one
 * clones once instead of once per window. Nothing is changed when they cannot merge.
 */
export function mergeProfileInto(target: ColumnProfile, b: ColumnProfile): ColumnProfile {
  checkMergeable(target, b);
  const merged = target;
  merged.count += b.count;
  merged.missing += b.missing;
  merged.types.number += b.types.number;
  merged.types.string += b.types.string;
  merged.types.boolean += b.types.boolean;
  merged.types.other += b.types.other;
  merged.distinct.merge(b.distinct);
  if (merged.kind === 'numerical' && b.kind === 'numerical') {
    merged.moments.merge(b.moments);
    merged.quantiles.merge(b.quantiles);
    if (merged.histogram !== null && b.histogram !== null) merged.histogram.merge(b.histogram);
    merged.sample.merge(b.sample);
  } else if (merged.kind !== 'numerical' && b.kind !== 'numerical') {
    merged.categories.merge(b.categories);
  }
  return merged;
}

function checkMergeable(a: ColumnProfile, b: ColumnProfile): void {
  if (a.kind !== b.kind) {
    throw profileConfigError(`Cannot merge a ${a.kind} profile with a ${b.kind} profile`);
  }
  if (!sameOptions(a.options, b.options)) {
    throw profileConfigError('Cannot merge profiles built with different sketch settings', {
      left: describeOptions(a.options),
      right: describeOptions(b.options),
    });
  }
}

function describeOptions(options: ResolvedProfileOptions): Record<string, unknown> {
  return {
    ...options,
    histogramEdges: options.histogramEdges === null ? null : Array.from(options.histogramEdges),
  };
}
