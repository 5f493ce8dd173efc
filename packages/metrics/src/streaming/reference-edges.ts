import type { SortedSample } from '../stats/sample.js';

/** A reference with at most this many distinct values gets one bin per value. */
export const PER_VALUE_BIN_LIMIT = 20;

/**
 * The bin edges a reference gives the histograms of every streaming profile compared with it,
 * so binned divergences (PSI, Jensen–Shannon, chi-square on bins) against the reference are
 * computed from exact counts.
 *
 * - ≤ 20 distinct reference values: one bin per value — edges are the sorted distinct values
 *   plus one closing edge just above the largest, so each value has its own bin [v_i, v_{i+1}).
 * - otherwise: Sturges' rule over the reference alone, ⌈log₂ n⌉ + 1 equal-width bins from the
 *   reference minimum to its maximum.
 *
 * Either way the first edge is the reference minimum and values outside the edges are counted
 * as below/above, which is also how streaming out-of-range shares are measured.
 * Returns null for an empty reference.
 */
export function referenceBinEdges(sorted: SortedSample): Float64Array | null {
  const n = sorted.length;
  if (n === 0) return null;
  const distinct: number[] = [];
  for (let i = 0; i < n && distinct.length <= PER_VALUE_BIN_LIMIT; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]!);
  }
  const min = sorted[0]!;
  const max = sorted[n - 1]!;
  if (distinct.length <= PER_VALUE_BIN_LIMIT) {
    const top = max + Math.max(Math.abs(max) * 1e-9, 1e-9);
    return Float64Array.from([...distinct, top]);
  }
  const bins = Math.ceil(Math.log2(n)) + 1;
  const edges = new Float64Array(bins + 1);
  for (let i = 0; i <= bins; i++) edges[i] = min + ((max - min) * i) / bins;
  edges[bins] = max; // exact, whatever the rounding of the step
  return edges;
}
