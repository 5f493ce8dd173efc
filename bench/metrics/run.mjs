// Metrics benchmark: Vigil vs numpy/scipy on identical generated data (spec.json), then
// `vigil report` end to end on two 100k-row CSV files. Each side runs in its own process
// (so peak RSS is its own), several rounds alternating the order; medians are reported
// because the machine is shared. Writes bench/out/metrics.json and prints a summary.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateSample } from '@vigil/metrics';

const HERE = import.meta.dirname;
const ROOT = resolve(HERE, '../..');
const OUT = join(ROOT, 'bench/out');
const { values: args } = parseArgs({
  options: { rounds: { type: 'string', default: '3' }, repeats: { type: 'string', default: '3' }, 'cli-runs': { type: 'string', default: '5' } },
});
const rounds = Number(args.rounds);

function run(cmd, argv, env = {}) {
  return new Promise((done, fail) => {
    const child = spawn(cmd, argv, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? done(out) : fail(new Error(`${cmd} ${argv.join(' ')} exited with ${code}`))));
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function side(which, only) {
  const env = { BENCH_REPEATS: args.repeats, ...(only ? { BENCH_ONLY: only } : {}) };
  const out = which === 'vigil' ? await run(process.execPath, [join(HERE, 'drift-vigil.mjs')], env) : await run('python3', [join(HERE, 'drift_scipy.py')], env);
  return JSON.parse(out);
}

const relDiff = (a, b) => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)));

async function compare(only) {
  const samples = { vigil: [], scipy: [] };
  for (let r = 0; r < rounds; r++) {
    for (const which of r % 2 ? ['scipy', 'vigil'] : ['vigil', 'scipy']) samples[which].push(await side(which, only));
  }
  const [v, s] = [samples.vigil[0], samples.scipy[0]];
  for (const name of Object.keys(s.checksums)) {
    if (JSON.stringify(v.checksums[name]) !== JSON.stringify(s.checksums[name])) throw new Error(`column ${name}: generated data differs between TypeScript and Python`);
  }
  let maxDiff = 0;
  for (const [name, sr] of Object.entries(s.results)) {
    const vr = v.results[name];
    if (vr.test !== sr.test) throw new Error(`column ${name}: test ${vr.test} vs ${sr.test}`);
    for (const k of ['score', 'psi', 'jensenShannon', 'hellinger', 'wassersteinNormed']) if (sr[k] !== null) maxDiff = Math.max(maxDiff, relDiff(vr[k], sr[k]));
  }
  const summary = (xs) => ({
    wall_ms_median: median(xs.flatMap((x) => x.runs_ms)),
    cpu_ms_median: median(xs.flatMap((x) => x.cpu_ms)),
    max_rss_mb_median: median(xs.map((x) => x.max_rss_mb)),
    runs: xs.flatMap((x) => x.runs_ms).map(Math.round),
  });
  const result = {
    columns: Object.keys(s.results).length,
    rows_each: s.rows,
    vigil: summary(samples.vigil),
    scipy: summary(samples.scipy),
    max_relative_difference: maxDiff,
    drifted: { vigil: v.drifted, scipy: s.drifted },
    versions: { ...v.versions, ...s.versions },
  };
  result.ratio = result.scipy.wall_ms_median / result.vigil.wall_ms_median;
  return result;
}

async function writeCsv(path, columns, n) {
  const names = Object.keys(columns);
  const out = createWriteStream(path);
  let chunk = `${names.join(',')}\n`;
  for (let i = 0; i < n; i++) {
    chunk += names.map((c) => {
      const v = columns[c][i];
      return v === null || (typeof v === 'number' && Number.isNaN(v)) ? '' : String(v);
    }).join(',') + '\n';
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

async function cliEndToEnd() {
  const spec = JSON.parse(readFileSync(join(HERE, 'spec.json'), 'utf8'));
  const n = 100_000;
  const files = {};
  for (const role of ['reference', 'current']) {
    const cols = Object.fromEntries(spec.columns.map((c) => [c.name, generateSample({ ...c[role], n })]));
    files[role] = join(OUT, `cli-${role}.csv`);
    await writeCsv(files[role], cols, n);
  }
  const times = [];
  for (let i = 0; i < Number(args['cli-runs']); i++) {
    const t0 = performance.now();
    await run(process.execPath, [join(ROOT, 'packages/cli/dist/bin.js'), 'report', '--reference', files.reference, '--current', files.current, '--json', join(OUT, 'cli-report.json'), '--html', join(OUT, 'cli-report.html')]);
    times.push(performance.now() - t0);
  }
  return {
    rows_each: n,
    columns: spec.columns.length,
    csv_mb: statSync(files.reference).size / 1e6,
    wall_ms_median: median(times),
    runs: times.map(Math.round),
    html_kb: statSync(join(OUT, 'cli-report.html')).size / 1024,
    json_kb: statSync(join(OUT, 'cli-report.json')).size / 1024,
  };
}

mkdirSync(OUT, { recursive: true });
const machine = { cpus: availableParallelism(), model: cpus()[0]?.model, load_before: loadavg().map((x) => +x.toFixed(2)), date: new Date().toISOString() };
const all = await compare();
const numerical = await compare('numerical');
const cli = await cliEndToEnd();
machine.load_after = loadavg().map((x) => +x.toFixed(2));
const result = { machine, all, numerical, cli };
writeFileSync(join(OUT, 'metrics.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
