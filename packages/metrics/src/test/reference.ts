import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { generateSample, type GeneratorSpec } from '../prng/generate.js';

/** Reference values live outside the repo: `<repo root>/../shared/reference`, or $VIGIL_REFERENCE_DIR. */
export function referenceDir(): string {
  const fromEnv = process.env.VIGIL_REFERENCE_DIR;
  if (fromEnv) return fromEnv;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'pnpm-workspace.yaml'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('no pnpm-workspace.yaml above the metrics package');
    dir = parent;
  }
  return resolve(dir, '..', 'shared', 'reference');
}

export function loadReference<T = RefObject>(file: string): T {
  return JSON.parse(readFileSync(join(referenceDir(), file), 'utf8')) as T;
}

export type RefValue = null | boolean | number | string | RefValue[] | RefObject;
export interface RefObject {
  [key: string]: RefValue;
}

/** A reference float: null is NaN, "Infinity"/"-Infinity" are the IEEE infinities. */
export function num(v: RefValue | undefined): number {
  if (v === null) return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  if (typeof v !== 'number') throw new Error(`not a reference number: ${JSON.stringify(v)}`);
  return v;
}

export function nums(v: RefValue | undefined): number[] {
  if (!Array.isArray(v)) throw new Error(`not a reference array: ${JSON.stringify(v)}`);
  return v.map(num);
}

export function obj(v: RefValue | undefined): RefObject {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('not a reference object');
  return v;
}

export function cases(file: RefObject, key = 'cases'): RefObject[] {
  const list = file[key];
  if (!Array.isArray(list)) throw new Error(`no ${key} in reference file`);
  return list.map(obj);
}

function sha256Float64(x: Float64Array): string {
  const bytes = new Uint8Array(x.length * 8);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (Number.isNaN(v)) {
      view.setUint32(i * 8, 0, true);
      view.setUint32(i * 8 + 4, 0x7ff80000, true);
    } else view.setFloat64(i * 8, v, true);
  }
  return createHash('sha256').update(bytes).digest('hex');
}

function sha256Lines(x: readonly (string | null)[]): string {
  return createHash('sha256')
    .update(x.map((v) => `${v ?? ''}\n`).join(''), 'utf8')
    .digest('hex');
}

/** The checksum a reference sample carries, computed on our own values. */
export function checksumOf(x: Float64Array | readonly (string | null)[]): string {
  return x instanceof Float64Array ? sha256Float64(x) : sha256Lines(x);
}

/**
 * A reference sample: its authoritative `values` when stored (n ≤ 5000), otherwise
 * regenerated from its generator. Either way the generator is replayed and must match
 * the stored checksum, so every case also checks the PRNG.
 */
export function numericSample(sample: RefValue | undefined): Float64Array {
  const s = obj(sample);
  const generated = regenerate(s);
  if (s.values !== undefined) {
    const values = Float64Array.from(nums(s.values));
    if (generated) expect(checksumOf(generated)).toBe(checksumOf(values));
    return values;
  }
  if (!(generated instanceof Float64Array)) throw new Error('sample has neither values nor a numeric generator');
  return generated;
}

export function stringSample(sample: RefValue | undefined): (string | null)[] {
  const s = obj(sample);
  const generated = regenerate(s);
  if (s.values !== undefined) {
    const values = (s.values as RefValue[]).map((v) => (v === null ? null : String(v)));
    if (generated) expect(checksumOf(generated)).toBe(checksumOf(values));
    return values;
  }
  if (!generated || generated instanceof Float64Array) throw new Error('sample has no string generator');
  return generated;
}

function regenerate(s: RefObject): Float64Array | (string | null)[] | undefined {
  if (s.generator === undefined) return undefined;
  const generated = generateSample(s.generator as unknown as GeneratorSpec);
  const checksum = obj(s.checksum);
  const expected = checksum.sha256_float64le ?? checksum.sha256_utf8_lines;
  expect(checksumOf(generated)).toBe(expected);
  return generated;
}

/**
 * |actual − expected| ≤ rtol·|expected| + atol, with NaN matching NaN and infinities
 * matching exactly. `what` names the quantity in the failure message.
 */
export function expectClose(actual: number, expected: number, rtol: number, what: string, atol = 0): void {
  if (Number.isNaN(expected) || !Number.isFinite(expected)) {
    expect(actual, what).toBe(expected);
    return;
  }
  const tol = rtol * Math.abs(expected) + atol;
  if (!(Math.abs(actual - expected) <= tol)) {
    expect.fail(`${what}: got ${actual}, expected ${expected} (±${tol})`);
  }
}

/** Relative tolerance for closed-form values (sums, ratios, logs of exact inputs). */
export const CLOSED_FORM = 1e-9;
