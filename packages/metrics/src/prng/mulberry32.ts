/**
 * mulberry32: a 32-bit state pseudo-random generator, bit-exact across JavaScript and
 * Python (see shared/reference/prng.json). Returns doubles in [0, 1) carrying 32 random bits.
 *
 * Reference: https://gist.github.com/tommyettinger/46a874533244883189143505d203312c
 */
export function mulberry32(seed: number): () => number {
  const rng = new Mulberry32(seed);
  return () => rng.next();
}

/**
 * The same generator with readable, restorable state (one uint32): sketches use it for their
 * seeded coins because it serializes exactly.
 */
export class Mulberry32 {
  state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** The next output as an unsigned 32-bit integer. */
  nextUint32(): number {
    const a = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t = (t + Math.imul(t ^ (t >>> 7), t | 61)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** The next output as a double in [0, 1) with 32 random bits (the spec's `u`). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A double in [0, 1) with 53 random bits, from two outputs. */
  next53(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }
}
