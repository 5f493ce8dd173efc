/**
 * 64-bit hashes of numbers and strings for distinct counting.
 *
 * Two MurmurHash3 (x86_32) lanes with different seeds run over the same 32-bit blocks and
 * are cross-mixed at the end as in MurmurHash3_x86_128, giving 64 well-mixed bits. Numbers
 * hash their IEEE-754 bits (−0 folded into +0, so they count as one value); strings hash
 * their UTF-16 code units two at a time, so no encoder or allocation is needed. The two
 * halves are written to `hashOut` rather than returned, to keep the hot path allocation-free.
 *
 * Reference: Austin Appleby, MurmurHash3 (public domain), smhasher.
 */

/** Output of the last `hashNumber`/`hashString` call: [low lane, high lane]. */
export const hashOut = new Uint32Array(2);

const NUMBER_SEED_1 = 0x9747b28c;
const NUMBER_SEED_2 = 0x5bd1e995;
const STRING_SEED_1 = 0x1b873593;
const STRING_SEED_2 = 0x2f6b7c1d;

const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);
// The two 32-bit words of a double sit in platform byte order; pick them so hashes agree everywhere.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LO = LITTLE_ENDIAN ? 0 : 1;
const HI = LITTLE_ENDIAN ? 1 : 0;

function mixK(k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  return Math.imul(k, 0x1b873593);
}

function mixH(h: number, k: number): number {
  h ^= mixK(k);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

function finish(h1: number, h2: number, byteLength: number): void {
  h1 = fmix(h1 ^ byteLength);
  h2 = fmix(h2 ^ byteLength);
  h1 = (h1 + h2) | 0;
  h2 = (h2 + h1) | 0;
  hashOut[0] = h1;
  hashOut[1] = h2;
}

/** Hashes a number's bits into `hashOut`. */
export function hashNumber(x: number): void {
  scratch[0] = x === 0 ? 0 : x;
  const lo = scratchWords[LO]!;
  const hi = scratchWords[HI]!;
  finish(mixH(mixH(NUMBER_SEED_1, lo), hi), mixH(mixH(NUMBER_SEED_2, lo), hi), 8);
}

/** Hashes a string's UTF-16 code units into `hashOut`. */
export function hashString(s: string): void {
  let h1 = STRING_SEED_1;
  let h2 = STRING_SEED_2;
  const n = s.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const k = s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16);
    h1 = mixH(h1, k);
    h2 = mixH(h2, k);
  }
  if (i < n) {
    const k = mixK(s.charCodeAt(i));
    h1 ^= k;
    h2 ^= k;
  }
  finish(h1, h2, n * 2);
}
