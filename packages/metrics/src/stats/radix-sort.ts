import { scratchFloat64 } from './scratch.js';
const LITTLE_ENDIAN = new Uint8Array(Float64Array.of(1).buffer)[7] === 0x3f;
/** Below this size the engine's comparison sort is faster than the radix passes. */
const RADIX_MIN = 2048;
const DIGIT_BITS = 11;
const BUCKETS = 1 << DIGIT_BITS;
const DIGIT_MASK = BUCKETS - 1;
/** (word, shift) of each 11-bit digit, least significant first: 11 + 11 + 10 bits per 32-bit word. */
const DIGITS: readonly (readonly [number, number])[] = [
  [0, 0],
  [0, 11],
  [0, 22],
  [1, 0],
  [1, 11],
  [1, 22],
];
const SIGN_BIT = 0x80000000;

/**
 * The scatter target, kept between calls: a report sorts dozens of million-value samples,
 * and allocating a fresh buffer for each one mostly feeds the garbage collector.
 */
let scratchBuffer = new Float64Array(0);
const counts = new Int32Array(DIGITS.length * BUCKETS);

/** Counts of every digit (six per value) in one read of the data. */
function countDigits(words: Uint32Array, n: number, counts: Int32Array): void {
  for (let i = 0; i < n; i++) {
    const lo = words[2 * i]!;
    const hi = words[2 * i + 1]!;
    counts[lo & DIGIT_MASK]!++;
    counts[BUCKETS + ((lo >>> 11) & DIGIT_MASK)]!++;
    counts[2 * BUCKETS + (lo >>> 22)]!++;
    counts[3 * BUCKETS + (hi & DIGIT_MASK)]!++;
    counts[4 * BUCKETS + ((hi >>> 11) & DIGIT_MASK)]!++;
    counts[5 * BUCKETS + (hi >>> 22)]!++;
  }
}

/** One stable counting-sort pass on the digit at (word, shift); `counts` holds the start offsets. */
function scatter(src: Float64Array, srcWords: Uint32Array, dst: Float64Array, counts: Int32Array, offset: number, word: number, shift: number): void {
  const n = src.length;
  for (let i = 0; i < n; i++) {
    const at = counts[offset + ((srcWords[2 * i + word]! >>> shift) & DIGIT_MASK)]!++;
    dst[at] = src[i]!;
  }
}

/**
 * Sorts a NaN-free Float64Array ascending in place (−0 before +0, as TypedArray#sort).
 *
 * LSD radix sort on the raw IEEE-754 bits with 11-bit digits: one read counts all six
 * digits, then at most six scatter passes move whole doubles (passes whose digit is the
 * same for every value are skipped). 2,048 buckets keep a pass's write targets in the
 * core's own cache, which matters when every core sorts at once (16-bit digits, four
 * passes, were as fast on one thread and slower on two). Sorting the raw bits as unsigned
 * integers orders the non-negative values ascending followed by the negative ones
 * descending, so a final step reverses the negative block in front. Values are only
 * copied, never reinterpreted, so no bit pattern passes through a NaN. About twice as fast
 * as TypedArray#sort on 10⁶ values.
 */
export function sortFloat64InPlace(x: Float64Array): void {
  const n = x.length;
  if (n < RADIX_MIN || !LITTLE_ENDIAN) {
    x.sort();
    return;
  }
  if (scratchBuffer.length < n) scratchBuffer = new Float64Array(n);
  const scratch: Float64Array = scratchBuffer.subarray(0, n);
  let src: Float64Array = x;
  let dst = scratch;
  let srcWords: Uint32Array = new Uint32Array(x.buffer, x.byteOffset, 2 * n);
  let dstWords: Uint32Array = new Uint32Array(scratch.buffer, 0, 2 * n);
  counts.fill(0);
  countDigits(srcWords, n, counts);
  for (let pass = 0; pass < DIGITS.length; pass++) {
    const [word, shift] = DIGITS[pass]!;
    const offset = pass * BUCKETS;
    if (counts[offset + ((srcWords[word]! >>> shift) & DIGIT_MASK)] === n) continue;
    let start = 0;
    for (let d = 0; d < BUCKETS; d++) {
      const c = counts[offset + d]!;
      counts[offset + d] = start;
      start += c;
    }
    scatter(src, srcWords, dst, counts, offset, word, shift);
    [src, dst] = [dst, src];
    [srcWords, dstWords] = [dstWords, srcWords];
  }
  let nonNegative = 0;
  while (nonNegative < n && srcWords[2 * nonNegative + 1]! < SIGN_BIT) nonNegative++;
  const negative = n - nonNegative;
  if (src === x) {
    if (negative === 0) return;
    scratch.set(x.subarray(nonNegative));
    x.copyWithin(negative, 0, nonNegative);
    for (let i = 0; i < negative; i++) x[i] = scratch[negative - 1 - i]!;
  } else {
    for (let i = 0; i < negative; i++) x[i] = src[n - 1 - i]!;
    x.set(src.subarray(0, nonNegative), negative);
  }
}

/**
 * The values whose flag is 1 and those whose flag is 0 (flags 0/1), each sorted ascending,
 * written into one reused buffer of `slot` (see scratchFloat64: valid until the slot's next use).
 */
export function sortSplitByFlag(values: ArrayLike<number>, flags: ArrayLike<number>, slot: string): { ones: Float64Array; zeros: Float64Array } {
  const n = values.length;
  let count = 0;
  for (let i = 0; i < n; i++) count += flags[i]!;
  const split = scratchFloat64(slot, n);
  const ones = split.subarray(0, count);
  const zeros = split.subarray(count);
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    if (flags[i] === 1) ones[a++] = values[i]!;
    else zeros[b++] = values[i]!;
  }
  sortFloat64InPlace(ones);
  sortFloat64InPlace(zeros);
  return { ones, zeros };
}
