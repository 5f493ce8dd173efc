// Vigil's side of the metrics benchmark: the same 25 columns as drift_scipy.py, generated
// from spec.json with the portable PRNG into shared memory, then buildReportParallel
// (default tests, PSI/JS/Hellinger/normed Wasserstein, quality) on all cores.
// Prints one JSON line: timings, peak RSS, checksums and per-column results.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { buildReport, generateSample } from '@vigil/metrics';
import { buildReportParallel, sharedFloat64Array } from '@vigil/metrics/node';

const spec = JSON.parse(readFileSync(new URL('./spec.json', import.meta.url), 'utf8'));
const rows = Number(process.env.BENCH_ROWS ?? spec.rows);
const repeats = Number(process.env.BENCH_REPEATS ?? 3);
const only = process.env.BENCH_ONLY; // 'numerical' | 'categorical' | undefined
const serial = process.env.BENCH_SERIAL === '1';

function checksum(x) {
  if (x instanceof Float64Array) return createHash('sha256').update(new Uint8Array(x.buffer, x.byteOffset, x.byteLength)).digest('hex');
  return createHash('sha256').update(x.map((v) => `${v ?? ''}\n`).join(''), 'utf8').digest('hex');
}

function column(generator) {
  const x = generateSample({ ...generator, n: rows });
  if (!(x instanceof Float64Array)) return x;
  const shared = sharedFloat64Array(x.length);
  shared.set(x);
  return shared;
}

const reference = {};
const current = {};
const checksums = {};
for (const c of spec.columns) {
  const isNumerical = c.name.startsWith('n');
  if (only && (only === 'numerical') !== isNumerical) continue;
  reference[c.name] = column(c.reference);
  current[c.name] = column(c.current);
  checksums[c.name] = [checksum(reference[c.name]), checksum(current[c.name])];
}

const runs = [];
const cpu = [];
let report;
for (let i = 0; i < repeats; i++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  report = serial ? buildReport(reference, current) : await buildReportParallel(reference, current);
  runs.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1000);
}

const results = Object.fromEntries(
  report.columns.map((c) => [c.name, { test: c.drift.test, score: c.drift.score, ...c.divergences, quality: c.quality }]),
);
console.log(
  JSON.stringify({
    side: serial ? 'vigil (1 thread)' : 'vigil',
    rows,
    threads: serial ? 1 : availableParallelism(),
    runs_ms: runs,
    cpu_ms: cpu,
    max_rss_mb: process.resourceUsage().maxRSS / 1024,
    checksums,
    results,
    drifted: report.dataset.driftedColumns,
    versions: { node: process.version },
  }),
);
