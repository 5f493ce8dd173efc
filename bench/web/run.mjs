#!/usr/bin/env node
// Web benchmark (issue "bench/web"): how long the workspace overview and a model's page take the
// server with a month of data, and each tRPC query behind them.
//
// 1. Seeds `vigil_bench_web` (seed.mjs: 100 models × 30 days of hour, day and rolling-1h
//    metric points, references, alerts, column profiles), or with `--reuse` keeps the one a
//    previous run seeded (its data ages: reuse it within the hour or two, pages read "now").
// 2. Starts the built web app as its own process (`node server.mjs`, as `pnpm start` does: Next.js
//    behind the forwarding-header step, with the per-request CSP proxy; NODE_ENV=production, the
//    defaults: one process, DB_POOL_MAX 10) and signs in over HTTP as the workspace owner
//    (better-auth `POST /api/auth/sign-in/email`), keeping the session cookie.
// 3. Pages: GET of the full HTML (time to the last byte, with Node's fetch on 127.0.0.1; these
//    pages await their data, so the HTML is rendered with it) of `/` and `/models/<id>` — the
//    default range (7 days) and `?range=30d` — and of the model's other tabs. Every page is loaded
//    `--warmup` times, then `--loads` rounds, each round loading every page once, one request at
//    a time (so load on the shared machine spreads over all of them alike). The first load of
//    each page is checked for the data it must show (the model's name, a drifted column).
// 4. Queries: every tRPC query those pages run, called alone as the browser would
//    (`GET /api/trpc/<procedure>?input=<superjson>`), with the inputs the pages build
//    (apps/web/src/features/monitoring/model/inputs.ts, OVERVIEW_ALERTS_INPUT), in the same way:
//    warm-ups, then rounds.
// Reports p50 / p95 / max per page and p50 / p95 per query (nearest rank: with 20 loads the p95
// is the second slowest), the load average before and after, the machine, and the data volume.
//
//   npx -y pnpm@12.4.2 build   # once: the web app and the packages it loads
//   node bench/web/run.mjs [--reuse] [--loads 20] [--warmup 3] [--models 100] [--rolling-every 15] [--json out.json]
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createDb, migrate, overviewModels } from '@vigil/db';
import { freePort } from '@vigil/testing';
import { ROOT } from '../support.mjs';
import { BENCH_USER, DB_URL, MEASURED, WORKSPACE, modelSpecs, seedWeb } from './seed.mjs';

const { values: args } = parseArgs({
  options: {
    reuse: { type: 'boolean', default: false },
    loads: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    models: { type: 'string', default: '100' },
    'rolling-every': { type: 'string', default: '15' },
    json: { type: 'string' },
  },
});
const LOADS = Number(args.loads);
const WARMUP = Number(args.warmup);
const WEB = join(ROOT, 'apps/web');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const load = () => loadavg().map((x) => x.toFixed(2)).join(' / ');

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}
const stats = (ms) => {
  const s = [...ms].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 0.5), p95: percentile(s, 0.95), max: s.at(-1), min: s[0] };
};
const f = (x) => (x === null || x === undefined ? '–' : x < 10 ? x.toFixed(1) : Math.round(x).toString());

if (!existsSync(join(WEB, '.next/BUILD_ID'))) {
  console.error('apps/web is not built: run `npx -y pnpm@12.4.2 build` (turbo builds the packages and `next build`) first.');
  process.exit(1);
}

// ───────────── data ─────────────
console.log(`load average before: ${load()}`);
const loadBefore = loadavg();
let seed = null;
if (args.reuse) {
  await migrate(DB_URL); // a reused database gets the migrations added since it was seeded
} else {
  console.log(`seeding ${DB_URL} …`);
  seed = await seedWeb({ models: Number(args.models), rollingEveryMinutes: Number(args['rolling-every']) });
  console.log(`seeded in ${(seed.timings.total / 1000).toFixed(1)} s`, seed.timings);
}
const db = createDb({ url: DB_URL, max: 2, applicationName: 'vigil-bench-web' });
const org = await db.system.organization.findFirst({ where: { name: WORKSPACE }, select: { id: true } });
if (!org) throw new Error(`no "${WORKSPACE}" in ${DB_URL}: run without --reuse to seed it`);
const models = await overviewModels(db.pool, org.id);
const specs = modelSpecs(models.length, 0);
const bySlug = new Map(models.map((m) => [m.slug, m]));
const measured = bySlug.get(specs[MEASURED.model].slug);
const twoVersions = bySlug.get(specs[MEASURED.versions]?.slug);
const newestEvent = Math.max(...models.flatMap((m) => m.versions.map((v) => v.lastEventAt ?? 0)));
const ageMin = (Date.now() - newestEvent) / 60_000;
if (ageMin > 120) console.warn(`warning: the seeded data's newest event is ${Math.round(ageMin)} min old; the pages judge it against now (seed again)`);

const volume = await dataVolume(db);
const pgVersion = (await db.pool.query('SHOW server_version')).rows[0].server_version;
await db.close();

// ───────────── the web app ─────────────
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const web = spawn(process.execPath, [join(WEB, 'server.mjs'), '-p', String(port), '-H', '127.0.0.1'], {
  cwd: WEB,
  env: {
    ...process.env,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    DATABASE_URL: DB_URL,
    WEB_URL: base,
    API_URL: 'http://127.0.0.1:4000',
    AUTH_SECRET: 'vigil-benchmark-auth-secret-0123456789abcdef',
    VIGIL_SECRET_KEY: 'vigil-benchmark-secret-key-0123456789',
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let webOutput = '';
web.stdout.on('data', (c) => (webOutput += c));
web.stderr.on('data', (c) => (webOutput += c));
const stopWeb = () => new Promise((res) => (web.exitCode !== null ? res() : (web.once('exit', res), web.kill('SIGTERM'))));
process.on('SIGINT', () => void stopWeb().then(() => process.exit(130)));

try {
  for (let i = 0; ; i++) {
    if (web.exitCode !== null) throw new Error(`next start exited:\n${webOutput}`);
    try {
      const r = await fetch(`${base}/sign-in`);
      await r.arrayBuffer();
      if (r.status < 500) break;
    } catch {
      // not listening yet
    }
    if (i > 240) throw new Error(`next start did not answer within 60 s:\n${webOutput}`);
    await sleep(250);
  }

  // Sign in as a browser does: JSON body, the app's own origin.
  const signIn = await fetch(`${base}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify(BENCH_USER),
  });
  if (!signIn.ok) throw new Error(`sign-in: ${signIn.status} ${await signIn.text()}`);
  const cookie = signIn.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  if (!cookie.includes('session_token')) throw new Error(`sign-in set no session cookie: ${cookie}`);

  const get = async (path) => {
    const t0 = performance.now();
    const res = await fetch(`${base}${path}`, { headers: { cookie }, redirect: 'manual' });
    const body = await res.text();
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${body.slice(0, 300)}`);
    return { ms, body };
  };
  const trpcPath = (proc, input) => `/api/trpc/${proc}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`}`;
  const query = async (proc, input) => JSON.parse((await get(trpcPath(proc, input))).body).result.data.json;

  // A page load settles the session's active workspace (tRPC calls alone do not), as in a browser.
  await get('/');

  // The inputs the pages build (features/monitoring/model/inputs.ts), from the header they read.
  const header = await query('model.header', { modelId: measured.id });
  const scope = (range) => ({ modelId: measured.id, time: { range } });
  const roleColumns = header.columns.filter((c) => c.role === 'prediction' || c.role === 'score').map((c) => `${c.role}:${c.name}`);
  const headline = header.status.family === 'regression' ? 'rmse' : 'f1';
  const drift7 = await query('model.driftTable', scope('7d'));
  const drift30 = await query('model.driftTable', scope('30d'));
  const versionsHeader = await query('model.header', { modelId: twoVersions.id });
  const [va, vb] = versionsHeader.model.versions;
  const performanceMetrics = header.status.family === 'regression' ? ['mae', 'rmse', 'mape', 'r2'] : ['accuracy', 'precision', 'recall', 'f1', 'roc_auc'];
  const queries = [];
  const add = (page, proc, input) => queries.push({ name: `${proc}`, page, proc, input });
  add('layout', 'workspace.current');
  add('layout', 'workspace.list');
  add('overview', 'alert.list', { state: 'active', limit: 5 });
  for (const range of ['7d', '30d']) {
    const time = { range };
    const drift = range === '7d' ? drift7 : drift30;
    const column = drift.rows[0]?.column;
    add(`overview ${range}`, 'model.overview', { time });
    if (range === '7d') add('model', 'model.header', { modelId: measured.id });
    add(`model ${range}`, 'model.series', { ...scope(range), metrics: ['prediction_count', 'drift_score', 'label_coverage', headline], columns: ['', ...roleColumns] });
    add(`model ${range}`, 'model.driftTable', scope(range));
    if (range === '7d') add('model', 'model.alerts', { modelId: measured.id });
    add(`drift ${range}`, 'model.distribution', { ...scope(range), column });
    add(`drift ${range}`, 'model.series', { ...scope(range), metrics: ['drift_score', 'drift_detected'], columns: [column] });
    add(`quality ${range}`, 'model.series', { ...scope(range), metrics: ['missing_share', 'out_of_range_share', 'new_category_share', 'type_mismatch_share'] });
    add(`performance ${range}`, 'model.series', { ...scope(range), metrics: [...performanceMetrics, 'label_coverage', 'label_delay_seconds', 'label_count'], columns: [''] });
    if (range === '7d') add('performance', 'model.confusionMatrix', { modelId: measured.id, granularity: 'day' });
    if (header.status.family !== 'regression') add(`performance ${range}`, 'model.performanceEstimate', { ...scope(range), metric: 'estimated_f1' });
    add(`drift ${range}`, 'model.multivariateDrift', scope(range));
    add(`segments ${range}`, 'model.segments', scope(range));
    add(`versions ${range}`, 'model.compareVersions', { modelId: twoVersions.id, a: va.id, b: vb.id, time });
  }

  const m = `/models/${measured.id}`;
  const pages = [
    { name: 'overview `/`', path: '/', expect: header.model.name },
    { name: 'overview `/?range=30d`', path: '/?range=30d', expect: header.model.name },
    { name: 'model page `/models/<id>`', path: m, expect: drift7.rows[0]?.column },
    { name: 'model page `?range=30d`', path: `${m}?range=30d`, expect: drift30.rows[0]?.column },
    { name: 'drift tab', path: `${m}/drift`, expect: drift7.rows[0]?.column },
    { name: 'quality tab', path: `${m}/quality`, expect: 'missing' },
    { name: 'performance tab', path: `${m}/performance`, expect: 'f1' },
    { name: 'segments tab', path: `${m}/segments`, expect: 'apac' },
    { name: 'alerts tab', path: `${m}/alerts`, expect: 'Feature drift' },
    { name: 'versions tab (2 versions)', path: `/models/${twoVersions.id}/versions`, expect: va.name },
  ];

  // Pages: warm-up (and check), then rounds.
  console.log(`\nweb on ${base}; measured model ${measured.slug} (${measured.id}), versions model ${twoVersions.slug}; load ${load()}`);
  const loadPagesStart = loadavg();
  for (const p of pages) {
    for (let i = 0; i < WARMUP; i++) {
      const { body } = await get(p.path);
      if (i === 0) {
        p.bytes = body.length;
        if (p.expect && !body.includes(p.expect)) throw new Error(`${p.path}: the HTML does not show "${p.expect}"`);
      }
    }
    p.ms = [];
  }
  for (let round = 0; round < LOADS; round++) for (const p of pages) p.ms.push((await get(p.path)).ms);
  const loadPagesEnd = loadavg();

  // Queries alone, the same way.
  for (const q of queries) {
    q.path = trpcPath(q.proc, q.input);
    for (let i = 0; i < WARMUP; i++) {
      const { body } = await get(q.path);
      if (i === 0) q.bytes = body.length;
    }
    q.ms = [];
  }
  for (let round = 0; round < LOADS; round++) for (const q of queries) q.ms.push((await get(q.path)).ms);
  const loadAfter = loadavg();

  // ───────────── report ─────────────
  const result = {
    date: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model, cores: cpus().length, memGB: Math.round(totalmem() / 2 ** 30), node: process.version, postgres: pgVersion },
    load: { before: loadBefore, pagesStart: loadPagesStart, pagesEnd: loadPagesEnd, after: loadAfter },
    seed: seed ? { timings: seed.timings, alerts: seed.alerts, profiles: seed.profiles } : 'reused',
    volume,
    measured: { model: measured.slug, id: measured.id, versionsModel: twoVersions.slug },
    pages: pages.map((p) => ({ name: p.name, path: p.path, kb: Math.round(p.bytes / 1024), ...stats(p.ms) })),
    queries: queries.map((q) => ({ page: q.page, proc: q.proc, kb: Math.round(q.bytes / 1024), ...stats(q.ms) })),
  };
  console.log(`\nmachine: ${result.machine.cpu}, ${result.machine.cores} cores, ${result.machine.memGB} GB, Node ${process.version}, PostgreSQL ${pgVersion}`);
  console.log(`load average (1 / 5 / 15 min): before ${loadBefore.map((x) => x.toFixed(2)).join(' / ')}, pages ${loadPagesStart[0].toFixed(2)} → ${loadPagesEnd[0].toFixed(2)}, after ${load()}`);
  console.log(`data: ${JSON.stringify(volume)}`);
  console.log(`\n| page | p50 | p95 | max | HTML |\n|---|---|---|---|---|`);
  for (const p of result.pages) console.log(`| ${p.name} | ${f(p.p50)} ms | ${f(p.p95)} ms | ${f(p.max)} ms | ${p.kb} KB |`);
  console.log(`\n| query (page, range) | p50 | p95 | max | response |\n|---|---|---|---|---|`);
  for (const q of result.queries) console.log(`| \`${q.proc}\` (${q.page}) | ${f(q.p50)} ms | ${f(q.p95)} ms | ${f(q.max)} ms | ${q.kb} KB |`);
  const bar = (name, limit) => {
    const p = result.pages.find((x) => x.name === name);
    return `${name}: p95 ${f(p.p95)} ms (bar ≤ ${limit} ms) — ${p.p95 <= limit ? 'met' : 'MISSED'}`;
  };
  console.log(`\n${bar('overview `/`', 150)}\n${bar('model page `/models/<id>`', 250)}`);
  console.log(`${bar('overview `/?range=30d`', 150)}\n${bar('model page `?range=30d`', 250)}`);
  if (args.json) writeFileSync(args.json, JSON.stringify(result, null, 2));
  if (/error/i.test(webOutput)) console.log(`\nweb output:\n${webOutput.slice(-3000)}`);
} finally {
  await stopWeb();
}

/** Rows and sizes of what the pages read. */
async function dataVolume(d) {
  const q = async (sql) => (await d.pool.query(sql)).rows;
  const points = await q(`SELECT granularity, count(*)::int AS n FROM metric_point GROUP BY 1 ORDER BY 1`);
  const [sizes] = await q(`SELECT pg_size_pretty(pg_total_relation_size('metric_point')) AS metric_point, pg_size_pretty(pg_total_relation_size('column_profile')) AS column_profile`);
  const [counts] = await q(`SELECT (SELECT count(*) FROM models)::int AS models, (SELECT count(*) FROM model_versions)::int AS versions,
                                   (SELECT count(*) FROM column_profile)::int AS column_profiles, (SELECT count(*) FROM alerts)::int AS alerts,
                                   (SELECT count(*) FROM alerts WHERE state = 'firing')::int AS firing`);
  return { metricPoints: Object.fromEntries(points.map((r) => [r.granularity, r.n])), total: points.reduce((s, r) => s + r.n, 0), ...counts, sizes };
}
