import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '@vigil/metrics';
import { modelData, writeCsv, writeJsonl, type Data } from './support/data.js';
import { writeParquet, type ParquetType } from './support/parquet.js';
import { runCli } from './support/run-cli.js';

const ROWS = 3000;
let dir: string;
const path = (name: string): string => join(dir, name);
const roles = ['--target', 'churned', '--prediction', 'predicted', '--scores', 'score'];

/** modelData plus a boolean, a day timestamp and an integer column, with some missing values. */
function typedData(n: number, seed: number, shift = 0): Data {
  const data = modelData(n, seed, shift);
  const active: (string | null)[] = [];
  const seen: (string | null)[] = [];
  const visits = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = (i * 7919 + seed * 31) % 97;
    active.push(k % 13 === 0 ? null : k % (3 + shift) === 0 ? 'true' : 'false');
    seen.push(k % 17 === 0 ? null : new Date(Date.UTC(2026, 10, 1 + (k % (20 + 5 * shift)))).toISOString());
    visits[i] = k % 11 === 0 ? NaN : (k * (shift + 1)) % 40;
  }
  return { ...data, active, seen, visits };
}

const types: Record<string, ParquetType> = { sessions: 'INT32', visits: 'INT64', churned: 'INT32', predicted: 'INT32', active: 'BOOLEAN', seen: 'TIMESTAMP' };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-formats-'));
  for (const [role, data] of [
    ['ref', typedData(ROWS, 3)],
    ['cur', typedData(ROWS, 4, 1)],
  ] as const) {
    await Promise.all([writeCsv(path(`${role}.csv`), data), writeJsonl(path(`${role}.jsonl`), data)]);
    writeParquet(path(`${role}.parquet`), data, types);
    await writeFile(path(`${role}.csv.gz`), gzipSync(await readFile(path(`${role}.csv`))));
  }
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function runJson(ref: string, cur: string, out: string, extra: string[] = []): Promise<string> {
  const run = await runCli(['report', '--reference', path(ref), '--current', path(cur), ...extra, '--json', path(out)]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return readFile(path(out), 'utf8');
}

const report = (ref: string, cur: string, out: string): Promise<string> => runJson(ref, cur, out, roles);

describe('vigil report reads CSV, gzipped CSV, JSONL and Parquet alike', () => {
  it('gives the same report, byte for byte, for the same data in every format', async () => {
    const csv = await report('ref.csv', 'cur.csv', 'csv.json');
    const parsed = JSON.parse(csv) as Report;
    expect(parsed.current.rows).toBe(ROWS);
    const byName = Object.fromEntries(parsed.columns.map((c) => [c.name, c]));
    expect(byName.active!.type).toBe('categorical');
    expect(byName.seen!.type).toBe('categorical');
    expect(byName.visits!.type).toBe('numerical');
    expect(byName.visits!.quality.missingShare).toBeGreaterThan(0);
    expect(await report('ref.parquet', 'cur.parquet', 'parquet.json')).toBe(csv);
    expect(await report('ref.jsonl', 'cur.jsonl', 'jsonl.json')).toBe(csv);
    expect(await report('ref.csv.gz', 'cur.csv.gz', 'gz.json')).toBe(csv);
    // Mixed formats too: a Parquet reference against a CSV current file.
    expect(await report('ref.parquet', 'cur.csv', 'mixed.json')).toBe(csv);
  });

  it('takes column types from the Parquet schema: a string column of digits stays categorical', async () => {
    const codes = (n: number, seed: number): Data => ({ zip: Array.from({ length: n }, (_, i) => String((i * seed) % 50).padStart(5, '0')), x: Float64Array.from({ length: n }, (_, i) => (i * seed) % 101) });
    writeParquet(path('zref.parquet'), codes(500, 3));
    writeParquet(path('zcur.parquet'), codes(500, 7));
    await Promise.all([writeCsv(path('zref.csv'), codes(500, 3)), writeCsv(path('zcur.csv'), codes(500, 7))]);
    const fromParquet = JSON.parse(await runJson('zref.parquet', 'zcur.parquet', 'z1.json')) as Report;
    const fromCsv = JSON.parse(await runJson('zref.csv', 'zcur.csv', 'z2.json')) as Report;
    expect(fromParquet.columns.find((c) => c.name === 'zip')!.type).toBe('categorical');
    expect(fromCsv.columns.find((c) => c.name === 'zip')!.type).toBe('numerical');
    // --numerical still overrides the schema.
    const forced = JSON.parse(await runJson('zref.parquet', 'zcur.parquet', 'z3.json', ['--numerical', 'zip'])) as Report;
    expect(forced.columns.find((c) => c.name === 'zip')!.type).toBe('numerical');
  });

  it('names a file that is not Parquet, and an unknown extension', async () => {
    await copyFile(path('ref.csv'), path('fake.parquet'));
    const run = await runCli(['report', '--reference', path('fake.parquet'), '--current', path('cur.csv')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^vigil: .*fake\.parquet: not a readable Parquet file/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    const xlsx = await runCli(['report', '--reference', path('ref.xlsx'), '--current', path('cur.csv')]);
    expect(xlsx.code).toBe(2);
    expect(xlsx.stderr).toMatch(/unsupported extension \(use \.csv, \.jsonl, \.ndjson \(each optionally \.gz\) or \.parquet\)/);
  });

  it('reports a corrupt gzip file as an input error', async () => {
    await writeFile(path('bad.csv.gz'), 'not gzip at all');
    const run = await runCli(['report', '--reference', path('bad.csv.gz'), '--current', path('cur.csv')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^vigil: .*bad\.csv\.gz: /);
  });
});
