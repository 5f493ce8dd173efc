// Shared by the CLI benchmarks: the 25-column frames of bench/metrics/spec.json as CSV and
// Parquet files (generated once per size into bench/out/cli), and a timed run under GNU time.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { parquetWriteFile } from 'hyparquet-writer';
import { generateSample } from '@vigil/metrics';

const ROOT = resolve(import.meta.dirname, '../..');
export const OUT = join(ROOT, 'bench/out/cli');
export const BIN = join(ROOT, 'packages/cli/dist/bin.js');

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Runs `node ...argv` under GNU time; returns wall ms (measured here) and peak RSS in MB. */
export function timed(argv, env = {}) {
  return new Promise((done, fail) => {
    const t0 = performance.now();
    const child = spawn('/usr/bin/time', ['-f', 'VIGIL_BENCH_RSS_KB=%M', process.execPath, ...argv], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    child.on('error', fail);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      if (code !== 0) return fail(new Error(`exit ${code}: ${err}`));
      const kb = Number(/VIGIL_BENCH_RSS_KB=(\d+)/.exec(err)?.[1]);
      done({ ms, rssMb: kb / 1024 });
    });
  });
}

async function writeCsv(path, columns, n) {
  const names = Object.keys(columns);
  const out = createWriteStream(path);
  let chunk = `${names.join(',')}\n`;
  for (let i = 0; i < n; i++) {
    chunk += `${names.map((c) => {
      const v = columns[c][i];
      return v === null || (typeof v === 'number' && Number.isNaN(v)) ? '' : String(v);
    }).join(',')}\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

function writeParquet(path, columns) {
  parquetWriteFile({
    filename: path,
    columnData: Object.entries(columns).map(([name, data]) =>
      data instanceof Float64Array
        ? { name, data: Array.from(data, (v) => (Number.isNaN(v) ? null : v)), type: 'DOUBLE' }
        : { name, data: Array.from(data), type: 'STRING' },
    ),
  });
}

/** The frames of one size, generated once and kept in bench/out/cli. */
export async function frames(n) {
  mkdirSync(OUT, { recursive: true });
  const spec = JSON.parse(readFileSync(join(ROOT, 'bench/metrics/spec.json'), 'utf8'));
  const files = {};
  for (const role of ['reference', 'current']) {
    const base = join(OUT, `${role}-${n}`);
    files[role] = { csv: `${base}.csv`, parquet: `${base}.parquet` };
    if (existsSync(files[role].csv) && existsSync(files[role].parquet)) continue;
    const cols = Object.fromEntries(spec.columns.map((c) => [c.name, generateSample({ ...c[role], n })]));
    await writeCsv(files[role].csv, cols, n);
    writeParquet(files[role].parquet, cols);
  }
  return files;
}

