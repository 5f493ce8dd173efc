import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { generateSample, type GeneratorSpec } from '@vigil/metrics';

export type Column = Float64Array | (string | null)[];
export type Data = Record<string, Column>;

const numeric = (spec: GeneratorSpec): Float64Array => generateSample(spec) as Float64Array;
const strings = (spec: GeneratorSpec): (string | null)[] => generateSample(spec) as (string | null)[];

/**
 * A reproducible model-monitoring table from the shared PRNG: numerical and categorical
 * features (some with missing values), a binary target, a positive-class score and the
 * thresholded prediction. `shift` moves some feature distributions.
 */
export function modelData(n: number, seed: number, shift = 0): Data {
  const s = (k: number): number => seed * 100 + k;
  const age = numeric({ dist: 'normal', mu: 40 + 4 * shift, sigma: 12, seed: s(1), n, quantize: 1, missing: { rate: 0.02, seed: s(2) } });
  const income = numeric({ dist: 'pareto2', xm: 20000 * (1 + 0.2 * shift), seed: s(3), n });
  const sessions = numeric({ dist: 'integer_uniform', lo: 0, hi: 12 + 3 * shift, seed: s(4), n });
  const latency = numeric({ dist: 'exponential_approx', scale: 120, seed: s(5), n });
  const balance = numeric({ dist: 'student_t', df: 3, mu: 0, scale: 1000, seed: s(6), n });
  const city = strings({
    dist: 'discrete',
    values: ['Berlin', 'Paris', 'Madrid', 'Rome', 'Vienna', 'Lisbon'],
    weights: shift ? [20, 25, 15, 15, 15, 10] : [30, 25, 20, 15, 10, 0],
    seed: s(7),
    n,
    missing: { rate: 0.01, seed: s(8) },
  });
  const plan = strings({ dist: 'discrete', values: ['free', 'pro'], weights: [7, 3], seed: s(9), n });
  const y = numeric({ dist: 'discrete', values: [0, 1], weights: [6, 4], seed: s(10), n });
  const noise = numeric({ dist: 'uniform', a: 0, b: 1, seed: s(11), n });
  const score = noise.map((u, i) => Math.min(1, 0.3 * y[i]! + 0.7 * u));
  const prediction = score.map((v) => (v >= 0.5 ? 1 : 0));
  return { age, income, sessions, latency, balance, city, plan, churned: y, score, predicted: prediction };
}

/** Three-class labels with one probability column per class (rows sum to 1). */
export function multiclassData(n: number, seed: number): Data {
  const label = generateSample({ dist: 'discrete', values: ['cat', 'dog', 'fox'], weights: [5, 3, 2], seed, n }) as string[];
  const u = numeric({ dist: 'uniform', a: 0, b: 1, seed: seed + 1, n });
  const v = numeric({ dist: 'uniform', a: 0, b: 1, seed: seed + 2, n });
  const cat = new Float64Array(n);
  const dog = new Float64Array(n);
  const fox = new Float64Array(n);
  const predicted: string[] = [];
  for (let i = 0; i < n; i++) {
    // Weight the true class up, then normalise.
    const w = [0.2 + u[i]!, 0.2 + v[i]!, 0.3];
    w[['cat', 'dog', 'fox'].indexOf(label[i]!)]! += 0.8;
    const total = w[0]! + w[1]! + w[2]!;
    cat[i] = w[0]! / total;
    dog[i] = w[1]! / total;
    fox[i] = 1 - cat[i]! - dog[i]!;
    const best = Math.max(cat[i]!, dog[i]!, fox[i]!);
    predicted.push(best === cat[i] ? 'cat' : best === dog[i] ? 'dog' : 'fox');
  }
  return { x: numeric({ dist: 'normal', mu: 0, sigma: 1, seed: seed + 3, n }), label, predicted, cat, dog, fox };
}

function cell(v: number | string | null | undefined): string {
  if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return '';
  const text = String(v);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

async function writeLines(path: string, lines: Iterable<string>): Promise<void> {
  const out = createWriteStream(path);
  let chunk = '';
  for (const line of lines) {
    chunk += line;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

function rows(data: Data): number {
  return Object.values(data)[0]?.length ?? 0;
}

/** Numbers are written in JavaScript's shortest round-trip form, so reading them back is exact. */
export async function writeCsv(path: string, data: Data): Promise<void> {
  const names = Object.keys(data);
  const columns = Object.values(data);
  function* lines(): Generator<string> {
    yield `${names.map(cell).join(',')}\n`;
    for (let i = 0; i < rows(data); i++) yield `${columns.map((c) => cell(c[i])).join(',')}\n`;
  }
  await writeLines(path, lines());
}

export async function writeJsonl(path: string, data: Data): Promise<void> {
  const entries = Object.entries(data);
  function* lines(): Generator<string> {
    for (let i = 0; i < rows(data); i++) {
      const record: Record<string, number | string | null> = {};
      for (const [name, c] of entries) {
        const v = c[i];
        record[name] = v === undefined || (typeof v === 'number' && Number.isNaN(v)) ? null : v;
      }
      yield `${JSON.stringify(record)}\n`;
    }
  }
  await writeLines(path, lines());
}
