/**
 * Test-only access to the shared reference files. The folder is `<repo root>/../shared/reference`,
 * where the repo root is the nearest ancestor holding pnpm-workspace.yaml; VIGIL_REFERENCE_DIR
 * overrides it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSample, type GeneratorSpec } from '../../prng/generate.js';

export function findRepoRoot(start: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No pnpm-workspace.yaml above ${start}`);
    dir = parent;
  }
}

export function referenceDir(): string {
  return process.env.VIGIL_REFERENCE_DIR ?? join(findRepoRoot(), '..', 'shared', 'reference');
}

export function loadReference<T>(file: string): T {
  return JSON.parse(readFileSync(join(referenceDir(), file), 'utf8')) as T;
}

export interface ReferenceSample {
  generator: GeneratorSpec & { n: number };
  n?: number;
  values?: (number | string | null)[];
  checksum: { sha256_float64le?: string; sha256_utf8_lines?: string; n_missing?: number };
}

/** SHA-256 of float64 little-endian bytes, NaN written as the canonical quiet NaN. */
export function sha256Float64(values: Float64Array): string {
  const bytes = Buffer.alloc(values.length * 8);
  values.forEach((x, i) => {
    if (Number.isNaN(x)) bytes.writeBigUInt64LE(0x7ff8000000000000n, i * 8);
    else bytes.writeDoubleLE(x, i * 8);
  });
  return createHash('sha256').update(bytes).digest('hex');
}

export function sha256Lines(values: readonly (string | null)[]): string {
  return createHash('sha256')
    .update(values.map((v) => `${v ?? ''}\n`).join(''), 'utf8')
    .digest('hex');
}

/**
 * The numeric values of a reference sample: the stored values when present (null → NaN),
 * otherwise regenerated from the generator spec and checked against the stored checksum.
 */
export function numericSample(sample: ReferenceSample): Float64Array {
  if (sample.values !== undefined)
    return Float64Array.from(sample.values, (v) => (v === null ? Number.NaN : Number(v)));
  const values = generateSample(sample.generator);
  if (!(values instanceof Float64Array)) throw new Error('expected a numeric sample');
  const digest = sha256Float64(values);
  if (digest !== sample.checksum.sha256_float64le) {
    throw new Error(`regenerated sample does not match its checksum (${digest})`);
  }
  return values;
}
