/**
 * KLL quantile sketch (Karnin–Lang–Liberty) over doubles.
 *
 * Level h holds items of weight 2^h. When the sketch holds more items than its total
 * capacity, the lowest level at or over its own capacity is sorted and compacted: a fair
 * coin picks the odd- or even-indexed items, which move up one level with doubled weight
 * (one item stays behind when the count is odd, so total weight is always exactly n).
 * Level capacities shrink geometrically downwards from k by c = 2/3 with a floor of 8, as
 * in Apache DataSketches. Merge appends level by level and compacts again, so a merged
 * sketch has the same guarantee as one built from the union. Min, max and n are exact.
 *
 * Randomness is a seeded mulberry32 coin held in the sketch (and serialized), so a
 * sketch built from the same seed and input is bit-for-bit reproducible.
 *
 * Error bound: the normalized rank error |rank_est(x) − rank(x)| / n of a single query is
 * at most `kllRankErrorBound(k)` = 2.296 / k^0.9723 with ≈99 % confidence (DataSketches'
 * empirical bound for this design; 1.33 % at k = 200). The tests measure it on the
 * reference samples and on merged sketches.
 *
 * References: Karnin, Lang, Liberty, "Optimal Quantile Approximation in Streams" (FOCS
 * 2016); Ivkin, Liberty, Lang, Karnin, Braverman, "Streaming Quantiles Algorithms with Small
 * Space and Update Time" (2019); Apache DataSketches KLL documentation.
 */
import { Mulberry32 } from '../prng/mulberry32.js';
import { sortFloat64 } from './sort.js';
import { profileConfigError } from './errors.js';

export const DEFAULT_KLL_K = 200;
const MIN_LEVEL_WIDTH = 8;
const SHRINK = 2 / 3;

/** Normalized single-query rank error at ≈99 % confidence for a given k. */
export function kllRankErrorBound(k: number): number {
  return 2.296 / Math.pow(k, 0.9723);
}

export interface KllState {
  k: number;
  n: number;
  min: number;
  max: number;
  rngState: number;
  levels: Float64Array[];
}

export class KllSketch {
  readonly k: number;
  /** Number of values seen. */
  n = 0;
  /** Exact minimum (+Infinity when empty). */
  min = Number.POSITIVE_INFINITY;
  /** Exact maximum (−Infinity when empty). */
  max = Number.NEGATIVE_INFINITY;
  private readonly rng: Mulberry32;
  private levels: Float64Array[] = [];
  /** Always `levels[0]`, held directly for the update path. */
  private level0: Float64Array = new Float64Array(0);
  private sizes: Int32Array = new Int32Array(0);
  /** Whether level h (h ≥ 1) is known to be sorted; compaction output is merged in order. */
  private sorted: Uint8Array = new Uint8Array(0);
  private capacities: number[] = [];
  private totalCapacity = 0;
  private retained = 0;
  private view: { values: Float64Array; cumulative: Float64Array; n: number } | null = null;

  constructor(k = DEFAULT_KLL_K, seed = 0) {
    if (!Number.isInteger(k) || k < MIN_LEVEL_WIDTH || k > 65535) {
      throw profileConfigError(`KLL k must be an integer in [${MIN_LEVEL_WIDTH}, 65535], got ${k}`);
    }
    this.k = k;
    this.rng = new Mulberry32(seed);
    this.grow();
  }

  /** Number of items currently stored. */
  get retainedItems(): number {
    return this.retained;
  }

  get levelCount(): number {
    return this.levels.length;
  }

  update(x: number): void {
    if (x !== x) return;
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
    this.n++;
    // −0 is stored as +0 so sorted levels, and hence the serialized form, are canonical.
    this.level0[this.sizes[0]!++] = x === 0 ? 0 : x;
    if (++this.retained >= this.totalCapacity) this.compress();
  }

  /** Folds `other` into this sketch. */
  merge(other: KllSketch): this {
    if (other.k !== this.k) {
      throw profileConfigError('Cannot merge KLL sketches with different k', {
        k: [this.k, other.k],
      });
    }
    if (other.n === 0) return this;
    while (this.levels.length < other.levels.length) this.grow();
    for (let h = 0; h < other.levels.length; h++) {
      const count = other.sizes[h]!;
      this.reserve(h, count);
      if (count === 0) continue;
      this.levels[h]!.set(other.levels[h]!.subarray(0, count), this.sizes[h]!);
      this.sizes[h]! += count;
      this.sorted[h] = 0;
    }
    this.n += other.n;
    this.retained += other.retained;
    if (other.min < this.min) this.min = other.min;
    if (other.max > this.max) this.max = other.max;
    // Fold the other coin's state in so later coins depend on both inputs, deterministically.
    this.rng.state = (this.rng.state + Math.imul(other.rng.state ^ 0x9e3779b9, 0x85ebca6b)) >>> 0;
    while (this.retained >= this.totalCapacity) this.compress();
    return this;
  }

  clone(): KllSketch {
    return KllSketch.restore(this.state());
  }

  /**
   * Estimated value at quantile q ∈ [0, 1]: the smallest stored item whose cumulative weight
   * reaches q·n (numpy's `inverted_cdf`; exact while nothing was compacted). q = 0 and q = 1
   * return the exact min and max. NaN for an empty sketch.
   */
  quantile(q: number): number {
    if (this.n === 0 || !(q >= 0 && q <= 1)) return Number.NaN;
    if (q === 0) return this.min;
    if (q === 1) return this.max;
    const { values, cumulative } = this.sortedView();
    const target = q * this.n;
    let lo = 0;
    let hi = values.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! >= target) hi = mid;
      else lo = mid + 1;
    }
    return values[lo]!;
  }

  /** Estimated number of values ≤ x (or < x when `inclusive` is false). */
  rank(x: number, inclusive = true): number {
    if (this.n === 0) return 0;
    const { values, cumulative } = this.sortedView();
    let lo = 0;
    let hi = values.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (inclusive ? values[mid]! <= x : values[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? 0 : cumulative[lo - 1]!;
  }

  /** Estimated fraction of values ≤ x. NaN for an empty sketch. */
  cdf(x: number): number {
    return this.n === 0 ? Number.NaN : this.rank(x) / this.n;
  }

  /** A copy of the sketch's state with every level sorted (a canonical form). */
  state(): KllState {
    return {
      k: this.k,
      n: this.n,
      min: this.min,
      max: this.max,
      rngState: this.rng.state,
      levels: this.levels.map((level, h) => {
        const items = level.slice(0, this.sizes[h]);
        sortFloat64(items, 0, items.length);
        return items;
      }),
    };
  }

  static restore(state: KllState): KllSketch {
    const sketch = new KllSketch(state.k, state.rngState);
    while (sketch.levels.length < state.levels.length) sketch.grow();
    let weight = 0;
    state.levels.forEach((items, h) => {
      sketch.reserve(h, items.length);
      sketch.levels[h]!.set(items);
      sortFloat64(sketch.levels[h]!, 0, items.length);
      sketch.sorted[h] = 1;
      sketch.sizes[h] = items.length;
      sketch.retained += items.length;
      weight += items.length * 2 ** h;
    });
    if (weight !== state.n) {
      throw profileConfigError(
        `KLL state is inconsistent: levels weigh ${weight} but n is ${state.n}`,
      );
    }
    sketch.n = state.n;
    sketch.min = state.min;
    sketch.max = state.max;
    while (sketch.retained >= sketch.totalCapacity) sketch.compress();
    return sketch;
  }

  private grow(): void {
    this.levels.push(new Float64Array(MIN_LEVEL_WIDTH * 2));
    const height = this.levels.length;
    const sizes = new Int32Array(height);
    sizes.set(this.sizes);
    this.sizes = sizes;
    const sorted = new Uint8Array(height);
    sorted.set(this.sorted);
    sorted[height - 1] = 1;
    this.sorted = sorted;
    this.level0 = this.levels[0]!;
    // Capacities from the top level down, by repeated exact IEEE multiplication so every
    // engine agrees (Math.pow is not guaranteed to be correctly rounded).
    this.capacities = new Array<number>(height);
    let scaled = this.k;
    this.totalCapacity = 0;
    for (let h = height - 1; h >= 0; h--) {
      const capacity = Math.max(MIN_LEVEL_WIDTH, Math.ceil(scaled));
      this.capacities[h] = capacity;
      this.totalCapacity += capacity;
      scaled *= SHRINK;
    }
    this.reserve(0, this.totalCapacity - this.sizes[0]!);
  }

  /** Makes room for `extra` more items at level h. */
  private reserve(h: number, extra: number): void {
    const level = this.levels[h]!;
    const needed = this.sizes[h]! + extra;
    if (needed <= level.length) return;
    let length = level.length;
    while (length < needed) length *= 2;
    const bigger = new Float64Array(length);
    bigger.set(level.subarray(0, this.sizes[h]));
    this.levels[h] = bigger;
    if (h === 0) this.level0 = bigger;
  }

  private compress(): void {
    for (let h = 0; h < this.levels.length; h++) {
      if (this.sizes[h]! < this.capacities[h]!) continue;
      if (h + 1 === this.levels.length) this.grow();
      this.compactLevel(h);
      if (this.retained < this.totalCapacity) return;
    }
  }

  private compactLevel(h: number): void {
    const size = this.sizes[h]!;
    const items = this.levels[h]!;
    if (h === 0 || this.sorted[h] === 0) sortFloat64(items, 0, size);
    const keep = size & 1;
    const promoted = (size - keep) >>> 1;
    const start = keep + (this.rng.nextUint32() & 1);
    this.reserve(h + 1, promoted);
    const above = this.levels[h + 1]!;
    const present = this.sizes[h + 1]!;
    if (this.sorted[h + 1] === 1) {
      // Merge the promoted run (every other item from `start`) into the sorted level above, back to front.
      let i = present - 1;
      let w = present + promoted - 1;
      for (let t = promoted - 1; t >= 0;) {
        const x = items[start + 2 * t]!;
        if (i >= 0 && above[i]! > x) above[w--] = above[i--]!;
        else {
          above[w--] = x;
          t--;
        }
      }
    } else {
      for (let i = start, w = present; i < size; i += 2) above[w++] = items[i]!;
    }
    this.sizes[h + 1] = present + promoted;
    this.sizes[h] = keep;
    this.sorted[h] = 1;
    this.retained -= promoted;
  }

  private sortedView(): { values: Float64Array; cumulative: Float64Array } {
    if (this.view !== null && this.view.n === this.n) return this.view;
    const values = new Float64Array(this.retained);
    const weights = new Float64Array(this.retained);
    let at = 0;
    for (let h = 0; h < this.levels.length; h++) {
      const size = this.sizes[h]!;
      values.set(this.levels[h]!.subarray(0, size), at);
      weights.fill(2 ** h, at, at + size);
      at += size;
    }
    const order = Array.from({ length: values.length }, (_, i) => i).sort((a, b) =>
      compareNumbers(values[a]!, values[b]!),
    );
    const sorted = new Float64Array(values.length);
    const cumulative = new Float64Array(values.length);
    let total = 0;
    order.forEach((from, i) => {
      sorted[i] = values[from]!;
      cumulative[i] = total += weights[from]!;
    });
    this.view = { values: sorted, cumulative, n: this.n };
    return this.view;
  }
}

function compareNumbers(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
