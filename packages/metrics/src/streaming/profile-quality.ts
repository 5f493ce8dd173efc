import type { ColumnProfile } from '../profile/column-profile.js';
import {
  categoryShares,
  distinctEstimate,
  missingShare,
  profileMax,
  profileMean,
  profileMin,
  profileQuantile,
  profileStd,
  profileTypeMismatchShare,
  validCount,
} from '../profile/profile-summary.js';

export interface ProfileQuality {
  rows: number;
  missingShare: number;
  typeMismatchShare: number;
  /** Share of valid values outside [reference min, reference max]; NaN without a numerical reference. */
  outOfRangeShare: number;
  /** Share of valid values in categories the reference never had; NaN without a categorical reference. */
  newCategoryShare: number;
  distinct: number;
  mean: number;
  /** Sample standard deviation (ddof 1), as pandas. */
  std: number;
  min: number;
  max: number;
  p50: number;
  p95: number;
}

/**
 * Data-quality numbers of a window from its profile, against an optional reference profile.
 * Out-of-range shares come from the histogram's below/above counts when the window was
 * profiled on the reference's edges (exact), else from the quantile sketch.
 */
export function profileColumnQuality(current: ColumnProfile, reference?: ColumnProfile): ProfileQuality {
  const valid = validCount(current);
  let outOfRange = Number.NaN;
  let newCategories = Number.NaN;
  if (reference && reference.kind === 'numerical' && current.kind === 'numerical' && reference.moments.n > 0) {
    if (valid === 0) outOfRange = 0;
    else if (current.histogram && reference.histogram && current.histogram.sameEdges(reference.histogram) && current.histogram.edges[0] === reference.moments.min && isTopEdge(current.histogram.edges, reference.moments.max)) {
      outOfRange = (current.histogram.below + current.histogram.above) / valid;
    } else {
      const k = current.quantiles;
      const below = k.rank(reference.moments.min, false);
      const above = k.n - k.rank(reference.moments.max, true);
      outOfRange = (below + above) / Math.max(k.n, 1);
    }
  }
  if (reference && reference.kind !== 'numerical' && current.kind !== 'numerical') {
    const known = new Set(categoryShares(reference).categories.map((c) => c.category));
    const shares = categoryShares(current);
    newCategories = valid === 0 ? 0 : shares.categories.filter((c) => !known.has(c.category)).reduce((t, c) => t + c.share, 0);
  }
  return {
    rows: current.count,
    missingShare: missingShare(current),
    typeMismatchShare: profileTypeMismatchShare(current),
    outOfRangeShare: outOfRange,
    newCategoryShare: newCategories,
    distinct: distinctEstimate(current),
    mean: profileMean(current),
    std: profileStd(current, 1),
    min: profileMin(current),
    max: profileMax(current),
    p50: profileQuantile(current, 0.5),
    p95: profileQuantile(current, 0.95),
  };
}

/** The last edge is the reference maximum itself, or (per-value bins) just above it. */
function isTopEdge(edges: Float64Array, max: number): boolean {
  const top = edges[edges.length - 1]!;
  return top === max || (top > max && top - max <= Math.max(Math.abs(max) * 1e-9, 1e-9));
}
