/**
 * Summary statistics read from a column profile. Each returns NaN (or an empty result)
 * where the statistic does not apply to the column's kind or the column has no valid values.
 */
import type { ColumnProfile } from './column-profile.js';

/** Expected JavaScript type per kind; anything else non-missing is a type mismatch. */
const EXPECTED_TYPE = { numerical: 'number', categorical: 'string', boolean: 'boolean' } as const;

/** Non-missing values of the column's type (the values the sketches saw). */
export function validCount(profile: ColumnProfile): number {
  return profile.types[EXPECTED_TYPE[profile.kind]];
}

/** Non-missing values of another type than the column's. */
export function typeMismatchCount(profile: ColumnProfile): number {
  return profile.count - profile.missing - validCount(profile);
}

export function missingShare(profile: ColumnProfile): number {
  return profile.count === 0 ? Number.NaN : profile.missing / profile.count;
}

/** Type mismatches over all values seen (missing included), like `missing_share`. */
export function profileTypeMismatchShare(profile: ColumnProfile): number {
  return profile.count === 0 ? Number.NaN : typeMismatchCount(profile) / profile.count;
}

export function profileMean(profile: ColumnProfile): number {
  return profile.kind === 'numerical' && profile.moments.n > 0 ? profile.moments.mean : Number.NaN;
}

/** Variance with `ddof` delta degrees of freedom: 1 = sample (pandas' default), 0 = population. */
export function profileVariance(profile: ColumnProfile, ddof: 0 | 1 = 1): number {
  if (profile.kind !== 'numerical') return Number.NaN;
  return ddof === 0 ? profile.moments.variance : profile.moments.sampleVariance;
}

/** Standard deviation with `ddof` delta degrees of freedom (default 1, as pandas). */
export function profileStd(profile: ColumnProfile, ddof: 0 | 1 = 1): number {
  return Math.sqrt(profileVariance(profile, ddof));
}

/** Exact minimum of the valid values. */
export function profileMin(profile: ColumnProfile): number {
  return profile.kind === 'numerical' && profile.moments.n > 0 ? profile.moments.min : Number.NaN;
}

/** Exact maximum of the valid values. */
export function profileMax(profile: ColumnProfile): number {
  return profile.kind === 'numerical' && profile.moments.n > 0 ? profile.moments.max : Number.NaN;
}

/** Approximate q-quantile (KLL; see `kllRankErrorBound`). */
export function profileQuantile(profile: ColumnProfile, q: number): number {
  return profile.kind === 'numerical' ? profile.quantiles.quantile(q) : Number.NaN;
}

/** Approximate fraction of valid values ≤ x. */
export function profileCdf(profile: ColumnProfile, x: number): number {
  return profile.kind === 'numerical' ? profile.quantiles.cdf(x) : Number.NaN;
}

/** Distinct valid values: exact up to the exact limit, then a HyperLogLog estimate. */
export function distinctEstimate(profile: ColumnProfile): number {
  return profile.distinct.estimate();
}

export interface CategoryShare {
  category: string;
  count: number;
  share: number;
}

export interface CategoryShares {
  /** Tracked categories, by count descending. */
  categories: CategoryShare[];
  /** Share of values not attributed to a listed category (0 while counts are exact). */
  otherShare: number;
  /** True when every count is exact. */
  exact: boolean;
  /** Largest possible undercount of a listed category, as a share of the total. */
  errorBound: number;
}

/** Category shares of the valid values of a categorical or boolean column. */
export function categoryShares(profile: ColumnProfile): CategoryShares {
  if (profile.kind === 'numerical' || profile.categories.total === 0) {
    return { categories: [], otherShare: 0, exact: true, errorBound: 0 };
  }
  const counts = profile.categories;
  const total = counts.total;
  let listed = 0;
  const categories = counts.entries().map(([category, count]) => {
    listed += count;
    return { category, count, share: count / total };
  });
  return {
    categories,
    otherShare: (total - listed) / total,
    exact: counts.exact,
    errorBound: counts.errorBound / total,
  };
}

export interface HistogramShares {
  edges: Float64Array;
  counts: Float64Array;
  /** counts / (total including below and above). */
  shares: Float64Array;
  belowShare: number;
  aboveShare: number;
}

/** Histogram counts and shares, or null when the profile has no histogram. */
export function histogramShares(profile: ColumnProfile): HistogramShares | null {
  if (profile.kind !== 'numerical' || profile.histogram === null) return null;
  const histogram = profile.histogram;
  const total = histogram.total;
  const scale = total === 0 ? Number.NaN : 1 / total;
  return {
    edges: histogram.edges.slice(),
    counts: histogram.counts.slice(),
    shares: histogram.counts.map((c) => c * scale),
    belowShare: histogram.below * scale,
    aboveShare: histogram.above * scale,
  };
}
