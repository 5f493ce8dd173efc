/**
 * Compact, exact encodings for serialized profiles.
 *
 * Typed arrays are written as base64 of their little-endian bytes (so a Float64Array costs
 * 10.7 characters per value and round-trips every bit, including ±Infinity and −0).
 * Scalar doubles that may be non-finite use the reference files' convention: the strings
 * "Infinity", "-Infinity" and "NaN". Implemented here rather than with `btoa`/`Buffer` so the
 * package runs unchanged in browsers, workers and Node.
 */
import { profileFormatError } from './errors.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

export function bytesToBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out +=
      ALPHABET[v >>> 18]! +
      ALPHABET[(v >>> 12) & 63]! +
      ALPHABET[(v >>> 6) & 63]! +
      ALPHABET[v & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const v = bytes[i]! << 16;
    out += ALPHABET[v >>> 18]! + ALPHABET[(v >>> 12) & 63]! + '==';
  } else if (rest === 2) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += ALPHABET[v >>> 18]! + ALPHABET[(v >>> 12) & 63]! + ALPHABET[(v >>> 6) & 63]! + '=';
  }
  return out;
}

export function base64ToBytes(text: string, what: string): Uint8Array {
  if (text.length % 4 !== 0)
    throw profileFormatError(`${what}: base64 length must be a multiple of 4`);
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let v = 0;
    for (let j = 0; j < 4; j++) {
      const c = text.charCodeAt(i + j);
      const d = c === 61 && i + j >= text.length - padding ? 0 : c < 128 ? DECODE[c]! : -1;
      if (d < 0) throw profileFormatError(`${what}: invalid base64 character at ${i + j}`);
      v = (v << 6) | d;
    }
    if (o < out.length) out[o++] = v >>> 16;
    if (o < out.length) out[o++] = (v >>> 8) & 255;
    if (o < out.length) out[o++] = v & 255;
  }
  return out;
}

/** Base64 of `count` little-endian words of `width` bytes, each written by `write`. */
function encodeWords(
  count: number,
  width: number,
  write: (view: DataView, i: number) => void,
): string {
  const bytes = new Uint8Array(count * width);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < count; i++) write(view, i);
  return bytesToBase64(bytes);
}

/** Decodes base64 into a DataView over whole words of `width` bytes. */
function decodeWords(text: string, what: string, width: number): DataView {
  const bytes = base64ToBytes(text, what);
  if (bytes.length % width !== 0) {
    throw profileFormatError(`${what}: byte length is not a multiple of ${width}`);
  }
  return new DataView(bytes.buffer);
}

export function float64ToBase64(values: Float64Array, length = values.length): string {
  return encodeWords(length, 8, (view, i) => view.setFloat64(i * 8, values[i]!, true));
}

export function base64ToFloat64(text: string, what: string): Float64Array {
  const view = decodeWords(text, what, 8);
  return Float64Array.from({ length: view.byteLength / 8 }, (_, i) => view.getFloat64(i * 8, true));
}

export function uint32ToBase64(values: Uint32Array, length = values.length): string {
  return encodeWords(length, 4, (view, i) => view.setUint32(i * 4, values[i]!, true));
}

export function base64ToUint32(text: string, what: string): Uint32Array {
  const view = decodeWords(text, what, 4);
  return Uint32Array.from({ length: view.byteLength / 4 }, (_, i) => view.getUint32(i * 4, true));
}

/** A double as JSON: finite numbers as themselves, others as "Infinity" / "-Infinity" / "NaN". */
export type JsonFloat = number | 'Infinity' | '-Infinity' | 'NaN';

export function encodeFloat(x: number): JsonFloat {
  if (Number.isFinite(x)) return Object.is(x, -0) ? 0 : x;
  if (Number.isNaN(x)) return 'NaN';
  return x > 0 ? 'Infinity' : '-Infinity';
}

export function decodeFloat(x: unknown, what: string): number {
  if (typeof x === 'number' && Number.isFinite(x)) return x;
  if (x === 'Infinity') return Number.POSITIVE_INFINITY;
  if (x === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (x === 'NaN') return Number.NaN;
  throw profileFormatError(`${what}: expected a number, "Infinity", "-Infinity" or "NaN"`);
}

/** Reads a non-negative safe integer field. */
export function readCount(x: unknown, what: string): number {
  if (typeof x === 'number' && Number.isSafeInteger(x) && x >= 0) return x;
  throw profileFormatError(`${what}: expected a non-negative integer`);
}

export function readString(x: unknown, what: string): string {
  if (typeof x === 'string') return x;
  throw profileFormatError(`${what}: expected a string`);
}

export function readObject(x: unknown, what: string): Record<string, unknown> {
  if (typeof x === 'object' && x !== null && !Array.isArray(x)) return x as Record<string, unknown>;
  throw profileFormatError(`${what}: expected an object`);
}

export function readArray(x: unknown, what: string): unknown[] {
  if (Array.isArray(x)) return x;
  throw profileFormatError(`${what}: expected an array`);
}
