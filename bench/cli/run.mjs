// `vigil report` end to end, as a user runs it: process start to JSON + HTML written, on the
// 25-column frames of bench/metrics/spec.json (20 numerical + 5 categorical, reference and
// current generated with different seeds), as CSV and as Parquet. Median of --runs runs per
// size and format, wall time and peak RSS (GNU time's maximum resident set size of the whole
// process, worker threads included). Also `vigil --help` / `--version` start-up.
// Usage: node bench/cli/run.mjs [--sizes 1000,10000,100000,1000000] [--runs 3] [--formats csv,parquet]
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { frames, median, OUT, timed, BIN } from './support.mjs';

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000,100000' },
    runs: { type: 'string', default: '3' },
    formats: { type: 'string', default: 'csv,parquet' },
    'start-runs': { type: 'string', default: '20' },
  },
});
const sizes = args.sizes.split(',').map(Number);
const formats = args.formats.split(',');
const runs = Number(args.runs);

mkdirSync(OUT, { recursive: true });
const machine = {
  cpus: availableParallelism(),
  model: cpus()[0]?.model,
  memory_gb: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  load_before: loadavg().map((x) => +x.toFixed(2)),
  date: new Date().toISOString(),
};

const start = {};
for (const flag of ['--help', '--version']) {
  const ms = [];
  for (let i = 0; i < Number(args['start-runs']); i++) ms.push((await timed([BIN, flag])).ms);
  start[flag] = { median_ms: +median(ms).toFixed(1), min_ms: +Math.min(...ms).toFixed(1) };
}
const { ms: nodeAlone } = await timed(['-e', '0']);
start.node_e_0_ms = +nodeAlone.toFixed(1);

const results = [];
for (const n of sizes) {
  const files = await frames(n);
  for (const format of formats) {
    const samples = [];
    for (let r = 0; r < runs; r++) {
      samples.push(
        await timed([BIN, 'report', '--reference', files.reference[format], '--current', files.current[format], '--json', join(OUT, 'report.json'), '--html', join(OUT, 'report.html')]),
      );
    }
    const row = {
      rows: n,
      format,
      file_mb: +(statSync(files.reference[format]).size / 1e6).toFixed(1),
      median_s: +(median(samples.map((s) => s.ms)) / 1000).toFixed(2),
      runs_s: samples.map((s) => +(s.ms / 1000).toFixed(2)),
      peak_rss_mb: Math.round(median(samples.map((s) => s.rssMb))),
    };
    results.push(row);
    console.error(JSON.stringify(row));
  }
}
machine.load_after = loadavg().map((x) => +x.toFixed(2));
const result = { machine, start, results };
writeFileSync(join(OUT, 'cli.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
