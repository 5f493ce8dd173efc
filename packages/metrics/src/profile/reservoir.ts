/**
 * Bounded uniform sample whose merge is exact (bottom-k / priority sampling).
 *
 * Every value offered gets an independent uniform key in [0, 1); the reservoir keeps the
 * `capacity` values with the smallest keys (a max-heap on keys). Keeping the k smallest
 * keys of a set is a uniform random k-subset of it, and the k smallest keys of A ∪ B are
 * the k smallest of (smallest k of A) ∪ (smallest k of B), so merging two reservoirs gives
 * exactly a reservoir of the union: every element of the union is equally likely to be
 * kept, merge is associative and commutative, and the result does not depend on how the
 * stream was split.
 *
 * The hot path does not draw a key per value: once full with threshold τ (the largest kept
 * key), the number of values skipped before the next key falls below τ is geometric with
 * success probability τ, and that key is uniform on [0, τ) (the idea of Li's Algorithm L).
 *
 * Reservoirs that will be merged must have independent seeds, or their keys are correlated.
 *
 * Storage grows with the values kept (doubling, up to the capacity): a minute of a quiet model
 * holds a dozen values, and a worker catching up on days of history holds hundreds of
 * thousands of such profiles at once.
 *
 * References: Efraimidis & Spirakis, "Weighted random sampling with a reservoir" (2006);
 * Cohen & Kaplan, "Summarizing data using bottom-k sketches" (PODC 2007); K.-H. Li,
 * "Reservoir-sampling algorithms of time complexity O(n(1 + log(N/n)))" (1994).
 */
import { Mulberry32 } from '../prng/mulberry32.js';
import { profileConfigError } from './errors.js';

export const DEFAULT_RESERVOIR_SIZE = 1000;
/** Slots a new reservoir starts with. */
const INITIAL_SLOTS = 16;

export interface ReservoirState {
  capacity: number;
  n: number;
  skip: number;
  rngState: number;
  /** Kept keys, ascending. */
  keys: Float64Array;
  /** Kept values, in the order of `keys`. */
  values: Float64Array;
}

export class Reservoir {
  readonly capacity: number;
  /** Number of values offered. */
  n = 0;
  size = 0;
  private keys: Float64Array;
  private items: Float64Array;
  private readonly rng: Mulberry32;
  private skip = 0;

  constructor(capacity = DEFAULT_RESERVOIR_SIZE, seed = 0) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw profileConfigError(`Reservoir size must be a positive integer, got ${capacity}`);
    }
    this.capacity = capacity;
    this.keys = new Float64Array(Math.min(capacity, INITIAL_SLOTS));
    this.items = new Float64Array(Math.min(capacity, INITIAL_SLOTS));
    this.rng = new Mulberry32(seed);
  }

  /** Room for at least `slots` entries (never more than the capacity). */
  private reserve(slots: number): void {
    if (slots <= this.keys.length) return;
    const next = Math.min(this.capacity, Math.max(slots, this.keys.length * 2));
    const keys = new Float64Array(next);
    const items = new Float64Array(next);
    keys.set(this.keys.subarray(0, this.size));
    items.set(this.items.subarray(0, this.size));
    this.keys = keys;
    this.items = items;
  }

  offer(x: number): void {
    this.n++;
    if (this.size < this.capacity) {
      this.push(this.rng.next53(), x);
      if (this.size === this.capacity) this.skip = this.drawSkip();
      return;
    }
    if (this.skip > 0) {
      this.skip--;
      return;
    }
    this.keys[0] = this.keys[0]! * this.rng.next53();
    this.items[0] = x;
    this.siftDown(0);
    this.skip = this.drawSkip();
  }

  /** The kept values, in key order (a uniformly random order). */
  values(): Float64Array {
    return this.state().values;
  }

  /**
   * Keeps the `capacity` smallest keys of both: each of the other's entries enters the heap
   * when there is room or its key is below the largest kept one. No sorting, no allocation:
   * streaming merges thousands of profiles per second.
   */
  merge(other: Reservoir): this {
    if (other.capacity !== this.capacity) {
      throw profileConfigError('Cannot merge reservoirs of different sizes', {
        capacity: [this.capacity, other.capacity],
      });
    }
    const keys = other.keys;
    const items = other.items;
    for (let j = 0; j < other.size; j++) {
      const key = keys[j]!;
      if (this.size < this.capacity) {
        this.push(key, items[j]!);
      } else if (key < this.keys[0]!) {
        this.keys[0] = key;
        this.items[0] = items[j]!;
        this.siftDown(0);
      }
    }
    this.n += other.n;
    this.rng.state = (this.rng.state + Math.imul(other.rng.state ^ 0x7f4a7c15, 0xc2b2ae35)) >>> 0;
    this.skip = this.size === this.capacity ? this.drawSkip() : 0;
    return this;
  }

  clone(): Reservoir {
    const copy = new Reservoir(this.capacity, this.rng.state);
    copy.keys = this.keys.slice();
    copy.items = this.items.slice();
    copy.size = this.size;
    copy.n = this.n;
    copy.skip = this.skip;
    return copy;
  }

  /** Canonical state: kept entries sorted by key (ties, which need 53-bit keys to collide, by value). */
  state(): ReservoirState {
    // Heap sort of a copy: the entries already form a max-heap on the keys.
    const size = this.size;
    const keys = this.keys.slice(0, size);
    const values = this.items.slice(0, size);
    for (let end = size - 1; end > 0; end--) {
      const k = keys[end]!;
      const v = values[end]!;
      keys[end] = keys[0]!;
      values[end] = values[0]!;
      keys[0] = k;
      values[0] = v;
      siftDown(keys, values, 0, end);
    }
    for (let i = 1; i < size; i++) {
      if (keys[i] !== keys[i - 1]) continue;
      // A run of equal keys: order it by value, whatever order the heap left it in.
      let j = i;
      while (j + 1 < size && keys[j + 1] === keys[i]) j++;
      values.subarray(i - 1, j + 1).sort();
      i = j;
    }
    return { capacity: this.capacity, n: this.n, skip: this.skip, rngState: this.rng.state, keys, values };
  }

  static restore(state: ReservoirState): Reservoir {
    const reservoir = new Reservoir(state.capacity, state.rngState);
    const size = state.keys.length;
    if (
      size !== state.values.length ||
      size > state.capacity ||
      size !== Math.min(state.n, state.capacity)
    ) {
      throw profileConfigError(
        'Reservoir state is inconsistent (sizes of keys, values, capacity and n disagree)',
      );
    }
    reservoir.reserve(size);
    for (let i = 0; i < size; i++) {
      const key = state.keys[i]!;
      if (!(key >= 0 && key < 1)) throw profileConfigError('Reservoir keys must lie in [0, 1)');
      reservoir.keys[i] = key;
      reservoir.items[i] = state.values[i]!;
    }
    reservoir.size = size;
    reservoir.heapify();
    reservoir.n = state.n;
    reservoir.skip = state.skip;
    return reservoir;
  }

  /** Values to skip before the next insertion: Geometric(τ) failures, τ = largest kept key. */
  private drawSkip(): number {
    const tau = this.keys[0]!;
    if (!(tau > 0)) return Number.MAX_SAFE_INTEGER;
    const u = this.rng.next53();
    const skip = Math.floor(Math.log1p(-u) / Math.log1p(-tau));
    return skip < Number.MAX_SAFE_INTEGER ? skip : Number.MAX_SAFE_INTEGER;
  }

  private push(key: number, value: number): void {
    if (this.size === this.keys.length) this.reserve(this.size + 1);
    let i = this.size++;
    const keys = this.keys;
    const items = this.items;
    while (i > 0) {
      const parent = (i - 1) >>> 1;
      if (keys[parent]! >= key) break;
      keys[i] = keys[parent]!;
      items[i] = items[parent]!;
      i = parent;
    }
    keys[i] = key;
    items[i] = value;
  }

  private heapify(): void {
    for (let i = (this.size >>> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  private siftDown(i: number): void {
    siftDown(this.keys, this.items, i, this.size);
  }
}

/** Restores the max-heap property on keys below `i` (values move with their keys). */
function siftDown(keys: Float64Array, items: Float64Array, i: number, size: number): void {
  const key = keys[i]!;
  const value = items[i]!;
  for (;;) {
    let child = 2 * i + 1;
    if (child >= size) break;
    if (child + 1 < size && keys[child + 1]! > keys[child]!) child++;
    if (keys[child]! <= key) break;
    keys[i] = keys[child]!;
    items[i] = items[child]!;
    i = child;
  }
  keys[i] = key;
  items[i] = value;
}
