/**
 * Histogram on fixed bin edges, mergeable exactly.
 *
 * Edges e_0 < e_1 < … < e_B give B bins [e_i, e_{i+1}), the last one closed [e_{B−1}, e_B]
 * (numpy.histogram's convention). Values below e_0 and above e_B are counted separately, so
 * nothing is lost when a window's range exceeds the reference's. Counts are integers, so a
 * merge (element-wise sum; edges must be identical) is exact and order-independent.
 */
import { profileConfigError } from './errors.js';

export class FixedHistogram {
  readonly edges: Float64Array;
  readonly counts: Float64Array;
  below = 0;
  above = 0;

  constructor(edges: ArrayLike<number>) {
    if (edges.length < 2) throw profileConfigError('Histogram needs at least two bin edges');
    for (let i = 0; i < edges.length; i++) {
      if (!Number.isFinite(edges[i]!))
        throw profileConfigError('Histogram edges must be finite numbers');
      if (i > 0 && !(edges[i]! > edges[i - 1]!))
        throw profileConfigError('Histogram edges must be strictly increasing');
    }
    this.edges = Float64Array.from(edges);
    this.counts = new Float64Array(edges.length - 1);
  }

  update(x: number): void {
    const edges = this.edges;
    const last = edges.length - 1;
    if (x < edges[0]!) {
      this.below++;
      return;
    }
    if (x > edges[last]!) {
      this.above++;
      return;
    }
    if (x !== x) return;
    // Largest i with edges[i] <= x, clamped so x = e_B lands in the last bin.
    let lo = 0;
    let hi = last;
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (edges[mid]! <= x) lo = mid;
      else hi = mid;
    }
    this.counts[lo]!++;
  }

  /** Total of in-range bins plus below and above. */
  get total(): number {
    let sum = this.below + this.above;
    for (let i = 0; i < this.counts.length; i++) sum += this.counts[i]!;
    return sum;
  }

  /** True when both histograms have the same edges, bit for bit. */
  sameEdges(other: FixedHistogram): boolean {
    if (other.edges.length !== this.edges.length) return false;
    for (let i = 0; i < this.edges.length; i++)
      if (!Object.is(other.edges[i], this.edges[i])) return false;
    return true;
  }

  merge(other: FixedHistogram): this {
    if (!this.sameEdges(other))
      throw profileConfigError('Cannot merge histograms with different bin edges');
    for (let i = 0; i < this.counts.length; i++) this.counts[i]! += other.counts[i]!;
    this.below += other.below;
    this.above += other.above;
    return this;
  }

  clone(): FixedHistogram {
    return new FixedHistogram(this.edges).merge(this);
  }
}
