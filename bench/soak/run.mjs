#!/usr/bin/env node
// Soak: ten minutes (by default) of mixed load on one API, one worker and the web app, with the
// resident memory (RSS) of every process and the latency of every kind of work sampled every
// 10 s. Not part of CI; results in bench/RESULTS.md ("Soak").
//
//   node bench/soak/run.mjs [--minutes 10] [--warmup 2] [--rate 400]
//
// The load, all at once:
//   ingest      POST /v1/predictions, batches of 100 events, `--rate` events/s over three models
//   labels      POST /v1/labels for a fifth of the predictions, 30 s after them
//   references  a CSV reference of 2,000 rows uploaded every 60 s (the worker builds its profile)
//   REST reads  GET /v1/models/:model/metrics (minute points of the last hour), every second
//   web reads   the overview and a model's page as a signed-in owner, every 2 s
//   alerts      two rules over every model (one fires, one does not), evaluated by the worker after
//               new points and by its one-minute sweep
// Latencies are measured by this process (HTTP requests) and read from the worker's /metrics
// (job durations per queue). Bar: RSS growth < 10 % after the warm-up, no latency trend.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createDb, ensureWorkspace, migrate } from '@vigil/db';
import { freePort } from '@vigil/testing';
import { ROOT, freshDatabase, startApi } from '../support.mjs';

const { values: args } = parseArgs({ options: { minutes: { type: 'string', default: '10' }, warmup: { type: 'string', default: '2' }, rate: { type: 'string', default: '400' } } });
const MINUTES = Number(args.minutes);
const WARMUP_S = Number(args.warmup) * 60;
const RATE = Number(args.rate);
const DB_URL = 'postgresql://postgres@127.0.0.1:5432/vigil_bench_soak';
const REDIS_URL = process.env.SOAK_REDIS_URL ?? 'redis://127.0.0.1:6379/7';
const PREFIX = `soak-${Date.now().toString(36)}`;
const KEY = `vgl_soakload_${'s'.repeat(32)}`;
const USER = { email: 'owner@soak.example', password: 'soak-password-0123' };
const SECRET = 'vigil-benchmark-secret-key-0123456789';
const MODELS = ['soak-fraud', 'soak-churn', 'soak-credit'];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (msg) => process.stderr.write(`[soak ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

await freshDatabase(DB_URL);
await migrate(DB_URL);
const db = createDb({ url: DB_URL, max: 1, applicationName: 'vigil-soak' });
// The workspace, its owner (who signs in to the web app) and an API key that may also manage alert rules.
// Its transaction has five seconds: on a loaded machine the password hash alone may take that long, so it is tried again.
for (let attempt = 1; ; attempt++) {
  try {
    await ensureWorkspace(db.system, { organization: 'Soak', project: 'Soak', apiKey: KEY, apiKeyScopes: ['ingest', 'read', 'admin'], userEmail: USER.email, userPassword: USER.password, userName: 'Soak Owner' });
    break;
  } catch (e) {
    if (attempt === 5) throw e;
  }
}

// ---- processes ----------------------------------------------------------------------------
const apiPort = await freePort();
const api = await startApi(apiPort, {
  DATABASE_URL: DB_URL,
  REDIS_URL,
  QUEUE_PREFIX: PREFIX,
  LOG_LEVEL: 'error',
  VIGIL_SECRET_KEY: SECRET,
  // The soak is one client sending far more than a tenant's default share.
  RATE_LIMIT_PER_SECOND: '1000',
  RATE_LIMIT_BURST: '2000',
});
const workerPort = await freePort();
const worker = spawn(process.execPath, [join(ROOT, 'apps/worker/dist/main.js')], {
  env: { ...process.env, NODE_ENV: 'production', VIGIL_SECRET_KEY: SECRET, DATABASE_URL: DB_URL, REDIS_URL, QUEUE_PREFIX: PREFIX, LOG_LEVEL: 'error', HEALTH_PORT: String(workerPort), HEALTH_HOST: '127.0.0.1' },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const WEB = join(ROOT, 'apps/web');
const webPort = await freePort();
const webBase = `http://127.0.0.1:${webPort}`;
const web = spawn(process.execPath, [join(WEB, 'server.mjs'), '-p', String(webPort), '-H', '127.0.0.1'], {
  cwd: WEB,
  env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', DATABASE_URL: DB_URL, REDIS_URL, QUEUE_PREFIX: PREFIX, WEB_URL: webBase, API_URL: `http://127.0.0.1:${apiPort}`, AUTH_SECRET: 'vigil-benchmark-auth-secret-0123456789abcdef', VIGIL_SECRET_KEY: SECRET },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const processes = { api: api.pid, worker: worker.pid, web: web.pid };
const stopAll = () => Promise.all([api, worker, web].map((p) => new Promise((r) => (p.exitCode !== null ? r() : (p.once('exit', r), p.kill('SIGTERM'))))));
process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));
// A soak that fails leaves no process behind.
process.on('exit', () => [api, worker, web].forEach((p) => p.exitCode === null && p.kill('SIGTERM')));

async function waitFor(what, url, timeoutMs = 120_000) {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(500)) {
    const r = await fetch(url).catch(() => null);
    if (r && r.status < 500) return;
  }
  throw new Error(`${what} did not answer within ${timeoutMs / 1000} s`);
}
await waitFor('the worker', `http://127.0.0.1:${workerPort}/readyz`);
await waitFor('the web app', `${webBase}/sign-in`);

const apiBase = `http://127.0.0.1:${apiPort}`;
const auth = { authorization: `Bearer ${KEY}` };
/** One timed request; a non-2xx answer is an error of the soak (it stops). */
async function timed(kind, url, init = {}) {
  const t0 = performance.now();
  const res = await fetch(url, init);
  const body = await res.text();
  record(kind, performance.now() - t0);
  if (res.status >= 300) throw new Error(`${kind}: ${init.method ?? 'GET'} ${url} → ${res.status} ${body.slice(0, 300)}`);
  return body;
}

// ---- sign-in and alert rules --------------------------------------------------------------
const signIn = await fetch(`${webBase}/api/auth/sign-in/email`, { method: 'POST', headers: { 'content-type': 'application/json', origin: webBase }, body: JSON.stringify(USER) });
if (!signIn.ok) throw new Error(`sign-in: ${signIn.status} ${await signIn.text()}`);
const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');

// ---- measurements -------------------------------------------------------------------------
let interval = new Map();
function record(kind, ms) {
  if (!interval.has(kind)) interval.set(kind, []);
  interval.get(kind).push(ms);
}
const pct = (xs, p) => (xs.length === 0 ? null : [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]);
const rssMb = (pid) => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
  } catch {
    return null;
  }
};
/** Sum and count of the worker's job durations per queue (from its /metrics). */
async function jobTotals() {
  const text = await (await fetch(`http://127.0.0.1:${workerPort}/metrics`)).text();
  const out = {};
  for (const m of text.matchAll(/^vigil_job_duration_seconds_(sum|count)\{queue="([^"]+)",outcome="completed"\} ([\d.e+-]+)$/gm)) {
    const q = m[2].replace(/^\{vigil\}-/, '');
    out[q] ??= { sum: 0, count: 0 };
    out[q][m[1]] = Number(m[3]);
  }
  return out;
}

// ---- load ---------------------------------------------------------------------------------
const started = Date.now();
const endAt = started + MINUTES * 60_000;
let seq = 0;
const sentAt = []; // [id, time] of predictions awaiting their label
const errors = [];
const loop = async (name, everyMs, fn) => {
  for (let next = Date.now(); Date.now() < endAt; ) {
    try {
      await fn();
    } catch (e) {
      errors.push(`${name}: ${e.message}`);
      if (errors.length > 20) throw new Error(errors.join('\n'), { cause: e });
    }
    next += everyMs;
    await sleep(Math.max(0, next - Date.now()));
  }
};
const features = (i) => ({ amount: Math.round(((i * 7_919) % 10_000) * (1 + Math.sin(i / 5_000))) / 10, country: ['DE', 'FR', 'PL', 'IT'][i % 4], age: i % 17 === 0 ? null : 18 + (i % 60), tenure: (i * 31) % 120 });
const ingest = async () => {
  const items = [];
  for (let k = 0; k < 100; k++) {
    const i = seq++;
    items.push({ id: `p-${i}`, model: MODELS[i % MODELS.length], timestamp: Date.now(), features: features(i), prediction: i % 3 === 0 ? 1 : 0 });
    if (i % 5 === 0) sentAt.push([`p-${i}`, Date.now(), i]);
  }
  const answer = JSON.parse(await timed('ingest batch', `${apiBase}/v1/predictions`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ predictions: items }) }));
  if (answer.rejected?.length) throw new Error(`ingest rejected ${answer.rejected.length} events: ${JSON.stringify(answer.rejected[0])}`);
};
const labels = async () => {
  const due = [];
  while (sentAt.length > 0 && sentAt[0][1] < Date.now() - 30_000 && due.length < 500) due.push(sentAt.shift());
  if (due.length === 0) return;
  await timed('labels batch', `${apiBase}/v1/labels`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ labels: due.map(([id, , i]) => ({ predictionId: id, label: (i * 13) % 4 === 0 ? 1 : 0, timestamp: Date.now() })) }),
  });
};
let refs = 0;
const reference = async () => {
  const model = MODELS[refs++ % MODELS.length];
  const rows = ['amount,country,age,tenure,prediction'];
  for (let i = 0; i < 2_000; i++) {
    const f = features(i * 3 + refs);
    rows.push(`${f.amount},${f.country},${f.age ?? ''},${f.tenure},${i % 3 === 0 ? 1 : 0}`);
  }
  await timed('reference upload', `${apiBase}/v1/models/${model}/reference?name=soak-${refs}`, { method: 'POST', headers: { ...auth, 'content-type': 'text/csv' }, body: rows.join('\n') });
};
const restRead = async () => {
  const from = new Date(Date.now() - 3_600_000).toISOString();
  await timed('REST metrics read', `${apiBase}/v1/models/${MODELS[seq % MODELS.length]}/metrics?granularity=minute&from=${encodeURIComponent(from)}&limit=5000`, { headers: auth });
};
let modelIds = null;
const webRead = async () => {
  await timed('web overview', `${webBase}/`, { headers: { cookie }, redirect: 'manual' });
  modelIds ??= (await timed('REST models list', `${apiBase}/v1/models`, { headers: auth }), (await db.system.model.findMany({ select: { id: true } })).map((m) => m.id));
  if (modelIds?.length) await timed('web model page', `${webBase}/models/${modelIds[seq % modelIds.length]}`, { headers: { cookie }, redirect: 'manual' });
};

// Every model exists after the first batches; then the rules.
await ingest();
await ingest();
await ingest();
// Two rules over every model: one fires, one does not.
for (const [name, threshold] of [['volume above 1e9', 1e9], ['volume above 0', 0]]) {
  const definition = { name, metric: 'prediction_count', granularity: 'rolling_1h', condition: { op: '>', threshold: { kind: 'fixed', critical: threshold } } };
  const res = await fetch(`${apiBase}/v1/alert-rules`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(definition) });
  if (!res.ok) throw new Error(`alert rule: ${res.status} ${await res.text()}`);
}
log(`processes ${JSON.stringify(processes)}; load for ${MINUTES} min`);

const samples = [];
let lastJobs = await jobTotals();
const sampler = (async () => {
  for (let t = 10; Date.now() < endAt; t += 10) {
    await sleep(Math.max(0, started + t * 1000 - Date.now()));
    const lat = interval;
    interval = new Map();
    const jobs = await jobTotals().catch(() => lastJobs);
    const jobMs = {};
    for (const [q, v] of Object.entries(jobs)) {
      const before = lastJobs[q] ?? { sum: 0, count: 0 };
      const n = v.count - before.count;
      jobMs[q] = n > 0 ? ((v.sum - before.sum) / n) * 1000 : null;
    }
    lastJobs = jobs;
    const sample = { t, load1: loadavg()[0], rss: Object.fromEntries(Object.entries(processes).map(([k, pid]) => [k, rssMb(pid)])), p50: {}, p95: {}, n: {}, jobMs };
    for (const [kind, xs] of lat) {
      sample.p50[kind] = pct(xs, 0.5);
      sample.p95[kind] = pct(xs, 0.95);
      sample.n[kind] = xs.length;
    }
    samples.push(sample);
    log(`t=${t}s rss ${JSON.stringify(sample.rss)} load ${sample.load1.toFixed(1)} ingest p95 ${sample.p95['ingest batch']?.toFixed(0)} ms`);
  }
})();
const ingestEvery = (100 / RATE) * 1000;
await Promise.all([loop('ingest', ingestEvery, ingest), loop('labels', 1_000, labels), loop('references', 60_000, reference), loop('REST reads', 1_000, restRead), loop('web reads', 2_000, webRead), sampler]);
await stopAll();

// ---- verdict ------------------------------------------------------------------------------
const after = samples.filter((s) => s.t > WARMUP_S);
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
/** Least-squares slope of y over t, as % of the mean per minute. */
function trend(points) {
  const ok = points.filter(([, y]) => y !== null && y !== undefined);
  if (ok.length < 3) return null;
  const mt = mean(ok.map(([t]) => t));
  const my = mean(ok.map(([, y]) => y));
  const slope = ok.reduce((s, [t, y]) => s + (t - mt) * (y - my), 0) / ok.reduce((s, [t]) => s + (t - mt) ** 2, 0);
  return ((slope * 60) / my) * 100;
}
const rss = {};
for (const name of Object.keys(processes)) {
  const first = mean(after.slice(0, 3).map((s) => s.rss[name]));
  const last = mean(after.slice(-3).map((s) => s.rss[name]));
  rss[name] = { afterWarmupMb: first, endMb: last, growthPct: ((last - first) / first) * 100, maxMb: Math.max(...samples.map((s) => s.rss[name] ?? 0)) };
}
const kinds = [...new Set(samples.flatMap((s) => Object.keys(s.p95)))];
const latency = {};
for (const k of kinds) {
  const thirds = [after.slice(0, Math.floor(after.length / 3)), after.slice(-Math.floor(after.length / 3))].map((ss) => pct(ss.map((s) => s.p50[k]).filter((x) => x != null), 0.5));
  latency[k] = { requests: samples.reduce((a, s) => a + (s.n[k] ?? 0), 0), p50FirstThirdMs: thirds[0], p50LastThirdMs: thirds[1], p95TrendPctPerMin: trend(after.map((s) => [s.t, s.p95[k]])) };
}
const jobsTrend = {};
for (const q of [...new Set(samples.flatMap((s) => Object.keys(s.jobMs)))]) {
  const xs = after.map((s) => s.jobMs[q]).filter((x) => x != null);
  jobsTrend[q] = { meanMs: xs.length ? mean(xs) : null, trendPctPerMin: trend(after.map((s) => [s.t, s.jobMs[q]])) };
}
const result = {
  date: new Date(started).toISOString(),
  machine: `${cpus().length} × ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  minutes: MINUTES,
  warmupMinutes: WARMUP_S / 60,
  predictions: seq,
  loadAverage: { mean: mean(samples.map((s) => s.load1)), max: Math.max(...samples.map((s) => s.load1)) },
  rss,
  latency,
  jobs: jobsTrend,
  errors,
  samples,
};
writeFileSync(join(ROOT, 'bench/soak/last-run.json'), JSON.stringify(result, null, 2));
console.log(JSON.stringify({ ...result, samples: undefined }, null, 2));
process.exit(0);
