/**
 * Category counts: exact up to a cap, then a Misra–Gries heavy-hitters summary.
 *
 * While at most `capacity` (default 1,000) distinct categories have been seen, every count
 * is exact. When a new category arrives with the table full, the summary becomes
 * Misra–Gries: all counters are decremented by one (dropping those that reach zero) and the
 * new item is discarded. Merge (Agarwal et al.) sums the counters and, if more than
 * `capacity` remain, subtracts the (capacity+1)-th largest count from all and drops the
 * non-positive ones.
 *
 * Error bound, single stream and any tree of merges alike: every stored count c satisfies
 *   f − (N − Σc) / (capacity + 1) ≤ c ≤ f,
 * where f is the true frequency and N the total count of the (merged) stream, so the error
 * is at most N / (capacity + 1); an absent category has f ≤ that bound, and every category
 * with f > N / (capacity + 1) is present. `errorBound` returns (N − Σc) / (capacity + 1).
 *
 * References: J. Misra, D. Gries, "Finding repeated elements" (1982); P. K. Agarwal et al.,
 * "Mergeable Summaries" (PODS 2012).
 */
import { profileConfigError } from './errors.js';

export const DEFAULT_CATEGORY_CAP = 1000;

export class CategoryCounts {
  readonly capacity: number;
  readonly counts = new Map<string, number>();
  /** Total number of values counted (N). */
  total = 0;
  /** True while every count is exact. */
  exact = true;

  constructor(capacity = DEFAULT_CATEGORY_CAP) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw profileConfigError(`Category cap must be a positive integer, got ${capacity}`);
    }
    this.capacity = capacity;
  }

  update(category: string): void {
    this.total++;
    const counts = this.counts;
    const current = counts.get(category);
    if (current !== undefined) counts.set(category, current + 1);
    else if (counts.size < this.capacity) counts.set(category, 1);
    else {
      this.exact = false;
      for (const [key, count] of counts) {
        if (count === 1) counts.delete(key);
        else counts.set(key, count - 1);
      }
    }
  }

  /** Largest possible undercount of any category (0 while exact). */
  get errorBound(): number {
    let stored = 0;
    for (const count of this.counts.values()) stored += count;
    return (this.total - stored) / (this.capacity + 1);
  }

  merge(other: CategoryCounts): this {
    if (other.capacity !== this.capacity) {
      throw profileConfigError('Cannot merge category counts with different caps', {
        capacity: [this.capacity, other.capacity],
      });
    }
    const counts = this.counts;
    for (const [key, count] of other.counts) counts.set(key, (counts.get(key) ?? 0) + count);
    this.total += other.total;
    this.exact &&= other.exact;
    if (counts.size > this.capacity) {
      this.exact = false;
      const sorted = [...counts.values()].sort((a, b) => b - a);
      const cut = sorted[this.capacity]!;
      for (const [key, count] of counts) {
        if (count <= cut) counts.delete(key);
        else counts.set(key, count - cut);
      }
    }
    return this;
  }

  clone(): CategoryCounts {
    return new CategoryCounts(this.capacity).merge(this);
  }

  /** Stored categories by count (descending), ties by category. */
  entries(): [string, number][] {
    return [...this.counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }
}
