const LITTLE_ENDIAN = new Uint8Array(Float64Array.of(1).buffer)[7] === 0x3f;
/** Below this size the engine's comparison sort is faster than four radix passes. */
const RADIX_MIN = 2048;
const PASSES: readonly (readonly [0 | 1, number, number])[] = [
  [0, 0, 0x7ff],
  [0, 11, 0x7ff],
  [0, 22, 0x3ff],
  [1, 0, 0x7ff],
  [1, 11, 0x7ff],
  [1, 22, 0x3ff],
];

/**
 * Sorts a NaN-free Float64Array ascending in place (−0 before +0, as TypedArray#sort) with
 * an LSD radix sort on the IEEE-754 bits: 11 bits per pass, passes whose digit is constant
 * skipped. Several times faster than the comparison sort on large columns.
 */
export function sortFloat64InPlace(x: Float64Array): void {
  const n = x.length;
  if (n < RADIX_MIN || !LITTLE_ENDIAN) {
    x.sort();
    return;
  }
  const words = new Uint32Array(x.buffer, x.byteOffset, 2 * n);
  let lo = new Uint32Array(n);
  let hi = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const l = words[2 * i]!;
    const h = words[2 * i + 1]!;
    // Map the float order onto unsigned order: flip all bits of negatives, the sign bit of positives.
    if (h & 0x80000000) {
      lo[i] = ~l >>> 0;
      hi[i] = ~h >>> 0;
    } else {
      lo[i] = l;
      hi[i] = (h ^ 0x80000000) >>> 0;
    }
  }
  let lo2 = new Uint32Array(n);
  let hi2 = new Uint32Array(n);
  const counts = new Uint32Array(2048);
  // 11-bit digits keep the scatter targets cache-resident: 3 passes per 32-bit word.
  for (const [word, shift, mask] of PASSES) {
    const src = word === 0 ? lo : hi;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(src[i]! >>> shift) & mask]!++;
    if (counts[(src[0]! >>> shift) & mask] === n) continue;
    let sum = 0;
    for (let d = 0; d <= mask; d++) {
      const c = counts[d]!;
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const at = counts[(src[i]! >>> shift) & mask]!++;
      lo2[at] = lo[i]!;
      hi2[at] = hi[i]!;
    }
    const tl = lo;
    lo = lo2;
    lo2 = tl;
    const th = hi;
    hi = hi2;
    hi2 = th;
  }
  for (let i = 0; i < n; i++) {
    const l = lo[i]!;
    const h = hi[i]!;
    if (h & 0x80000000) {
      words[2 * i] = l;
      words[2 * i + 1] = (h ^ 0x80000000) >>> 0;
    } else {
      words[2 * i] = ~l >>> 0;
      words[2 * i + 1] = ~h >>> 0;
    }
  }
}
