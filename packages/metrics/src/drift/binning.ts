import { MetricsError } from '../errors.js';
import { quantileLinear } from '../stats/quantile.js';
import type { SortedSample } from '../stats/sample.js';

/** Counts of both samples over the same bins. */
export interface BinnedCounts {
  reference: Float64Array;
  current: Float64Array;
  /** Bin edges (ascending) for edge-based schemes. */
  edges?: Float64Array;
  /** One bin per listed value for the distinct-values scheme. */
  values?: Float64Array;
}

export type BinningScheme = 'sturges_combined' | 'equal_width_10_reference_range' | 'reference_deciles' | 'evidently_default';

/** Above this many distinct reference values the default scheme switches from one bin per value to Sturges. */
export const DISTINCT_VALUE_BIN_LIMIT = 20;

/** Number of elements < v (side 'left') or ≤ v (side 'right') in a sorted sample. */
export function searchSorted(x: ArrayLike<number>, v: number, side: 'left' | 'right'): number {
  let lo = 0;
  let hi = x.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (side === 'left' ? x[mid]! < v : x[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** numpy.linspace(start, stop, num): i·step + start, with the last point exactly `stop`. */
function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  const step = (stop - start) / (num - 1);
  for (let i = 0; i < num; i++) out[i] = i * step + start;
  out[num - 1] = stop;
  return out;
}

/**
 * Sturges bin edges over the pooled sample (numpy.histogram_bin_edges(bins='sturges')):
 * width = (max − min)/(log2 N + 1), k = ceil((max − min)/width), k + 1 equally spaced edges.
 */
export function sturgesEdges(reference: SortedSample, current: SortedSample): Float64Array {
  const N = reference.length + current.length;
  if (N === 0) throw new MetricsError('cannot bin two empty samples');
  let lo = Math.min(reference[0] ?? Infinity, current[0] ?? Infinity);
  let hi = Math.max(reference[reference.length - 1] ?? -Infinity, current[current.length - 1] ?? -Infinity);
  const width = (hi - lo) / (Math.log2(N) + 1);
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const k = width ? Math.ceil((hi - lo) / width) : 1;
  return linspace(lo, hi, k + 1);
}

/**
 * numpy.histogram(x, edges) counts on a sorted sample: bin i holds edges[i] ≤ x < edges[i+1],
 * the last bin also its right edge. With `clip`, values outside the edges are counted in the
 * first/last bin instead of being dropped.
 */
export function histogram(sorted: SortedSample, edges: Float64Array, clip = false): Float64Array {
  const k = edges.length - 1;
  const counts = new Float64Array(k);
  let prev = clip ? 0 : searchSorted(sorted, edges[0]!, 'left');
  for (let i = 0; i < k; i++) {
    const last = i === k - 1;
    const cum = last ? (clip ? sorted.length : searchSorted(sorted, edges[k]!, 'right')) : searchSorted(sorted, edges[i + 1]!, 'left');
    counts[i] = cum - prev;
    prev = cum;
  }
  return counts;
}

/** Counts per bin for bins (−∞, e₁), [e₁, e₂), …, [e_last, +∞). */
function countBetweenInnerEdges(sorted: SortedSample, inner: Float64Array): Float64Array {
  const counts = new Float64Array(inner.length + 1);
  let prev = 0;
  for (let i = 0; i < inner.length; i++) {
    const cum = searchSorted(sorted, inner[i]!, 'left');
    counts[i] = cum - prev;
    prev = cum;
  }
  counts[inner.length] = sorted.length - prev;
  return counts;
}

/** Distinct values of sorted samples, ascending: a linear merge, as the inputs are sorted. */
function distinctSorted(...samples: SortedSample[]): Float64Array {
  if (samples.length === 1) return distinctOf(samples[0]!);
  const [a, b] = [distinctOf(samples[0]!), distinctOf(samples[1]!)];
  const out = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length || j < b.length) {
    const v = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    if (i < a.length && a[i] === v) i++;
    if (j < b.length && b[j] === v) j++;
    out[n++] = v;
  }
  return out.slice(0, n);
}

function distinctOf(sorted: ArrayLike<number>): Float64Array {
  const out = new Float64Array(distinctCount(sorted));
  let n = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) out[n++] = sorted[i]!;
  return out;
}

/** Number of distinct values in a sorted sample. */
export function distinctCount(sorted: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) n++;
  return n;
}

/**
 * Bins both samples with one of the schemes of shared/reference/binned_divergences.json:
 * - sturges_combined: Sturges edges over reference ∪ current;
 * - equal_width_10_reference_range: 10 equal bins over [min, max] of the reference, current clipped into it;
 * - reference_deciles: bins split at the distinct reference deciles (numpy 'linear' quantiles);
 * - evidently_default: Sturges when the reference has > 20 distinct values, else one bin per
 *   distinct value seen in either sample.
 * @throws MetricsError when both samples are empty, or the reference is for reference-based schemes.
 */
export function binSamples(reference: SortedSample, current: SortedSample, scheme: BinningScheme): BinnedCounts {
  switch (scheme) {
    case 'sturges_combined': {
      const edges = sturgesEdges(reference, current);
      return { edges, reference: histogram(reference, edges), current: histogram(current, edges) };
    }
    case 'equal_width_10_reference_range': {
      if (reference.length === 0) throw new MetricsError('reference is empty');
      const edges = linspace(reference[0]!, reference[reference.length - 1]!, 11);
      return { edges, reference: histogram(reference, edges), current: histogram(current, edges, true) };
    }
    case 'reference_deciles': {
      if (reference.length === 0) throw new MetricsError('reference is empty');
      const deciles = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9].map((q) => quantileLinear(reference, q));
      const inner = distinctSorted(Float64Array.from(deciles).sort() as SortedSample);
      return { edges: inner, reference: countBetweenInnerEdges(reference, inner), current: countBetweenInnerEdges(current, inner) };
    }
    case 'evidently_default': {
      if (distinctCount(reference) > DISTINCT_VALUE_BIN_LIMIT) return binSamples(reference, current, 'sturges_combined');
      const values = distinctSorted(reference, current);
      const countOf = (x: SortedSample): Float64Array =>
        values.map((v) => searchSorted(x, v, 'right') - searchSorted(x, v, 'left'));
      return { values, reference: countOf(reference), current: countOf(current) };
    }
  }
}
