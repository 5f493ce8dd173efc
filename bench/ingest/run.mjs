#!/usr/bin/env node
// Ingest benchmark (DESIGN.md §10). Starts the built API as its own process against a fresh
// `vigil_bench` database; saturates it from this process with autocannon (100 events × 10
// features per request, every id unique — `--ids v7` as the SDK makes them, or `v4` random —
// `--connections` closed-loop connections); measures
// latency at fixed rates with open-loop.mjs in another process; and compares with a raw COPY
// of the same rows into the same tables (keys and batches). Prints a JSON summary;
// bench/RESULTS.md records it.
//
//   node bench/ingest/run.mjs [--ids v7|v4] [--duration 20] [--latency-duration 20] [--connections 32] [--rate 1000] [--latency-rates 100,200,300,400] [--workers 1]
import { cpus, totalmem } from 'node:os';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import copyStreams from 'pg-copy-streams';
import { encodeBatch, ensureDatabase, migrate } from '@vigil/db';
import { createTestDb, createTestTenant } from '@vigil/db/testing';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '@vigil/testing';
import { ROOT, freshDatabase, startApi as startSharedApi, walSince } from '../support.mjs';
import { EVENTS, ID_KINDS, template, withFreshIds } from './template.mjs';

const { values: args } = parseArgs({
  options: {
    keep: { type: 'boolean', default: false },
    ids: { type: 'string', default: 'v7' },
    duration: { type: 'string', default: '20' },
    /** Seconds per open-loop latency run (default: --duration). */
    'latency-duration': { type: 'string' },
    connections: { type: 'string', default: '32' },
    rate: { type: 'string', default: '1000' },
    workers: { type: 'string', default: '1' },
    'copy-rows': { type: 'string', default: '300000' },
    'api-node-args': { type: 'string', default: '' },
    'latency-rates': { type: 'string', default: '100,200,300,400' },
  },
});
const DB_URL = 'postgresql://postgres@127.0.0.1:5432/vigil_bench';
const REDIS_URL = 'redis://127.0.0.1:6379/2';

function startApi(port, workers) {
  const nodeArgs = args['api-node-args'].split(' ').filter(Boolean);
  return startSharedApi(port, { DATABASE_URL: DB_URL, REDIS_URL, API_WORKERS: String(workers), ...(process.env.BENCH_API_ENV ? JSON.parse(process.env.BENCH_API_ENV) : {}) }, nodeArgs);
}

function load(url, key, opts) {
  const nextBody = withFreshIds(template(), args.ids);
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${url}/v1/predictions`,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        connections: opts.connections,
        duration: opts.duration,
        ...(opts.rate ? { overallRate: opts.rate } : {}),
        requests: [{ setupRequest: (req) => ({ ...req, body: nextBody() }) }],
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
}

/** Runs open-loop.mjs as its own process and returns its summary. */
function openLoop(url, key, rate, duration) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bench/ingest/open-loop.mjs'), url, key, String(rate), String(duration), args.ids], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop())) : reject(new Error(`open-loop exited with ${code}`))));
  });
}

/** The API's garbage-collection pauses so far (prom-client's default histogram): count, total seconds, and how many took over 10 ms. */
async function gcPauses(url) {
  const text = await (await fetch(`${url}/metrics`)).text();
  let count = 0;
  let sum = 0;
  let under10 = 0;
  for (const line of text.split('\n')) {
    const m = /^vigil_api_nodejs_gc_duration_seconds_(count|sum|bucket)\{(.*)\} (\S+)$/.exec(line);
    if (!m) continue;
    if (m[1] === 'count') count += Number(m[3]);
    else if (m[1] === 'sum') sum += Number(m[3]);
    else if (/le="0.01"/.test(m[2])) under10 += Number(m[3]);
  }
  return { count, sum, over10ms: count - under10 };
}
const diffGc = (a, b) => ({ pauses: a.count - b.count, totalMs: Math.round((a.sum - b.sum) * 1000), over10ms: a.over10ms - b.over10ms });

/**
 * How fast this host is, in a unit the API's own work is made of: MB/s of JSON.parse over the
 * request body. The same nominal 2-vCPU machine has measured 3× apart between days, and every
 * number here moves with it.
 */
function jsonParseMBps() {
  const text = template();
  let n = 0;
  const started = performance.now();
  while (performance.now() - started < 1000) {
    JSON.parse(text);
    n++;
  }
  return Math.round((n * text.length) / 1e6 / ((performance.now() - started) / 1000));
}

async function countEvents(pool, projectId) {
  const r = await pool.query('SELECT coalesce(sum(event_count), 0)::bigint AS n FROM prediction_batch WHERE project_id = $1', [projectId]);
  return Number(r.rows[0].n);
}

/** COPY text format: backslash is the only character of JSON text that needs escaping (JSON escapes tabs and newlines). */
const copyText = (s) => (s.includes('\\') ? s.replaceAll('\\', '\\\\') : s);

/**
 * Loads `rows` events equivalent to the ingest ones with COPY (text format) into the tables the
 * API writes: one prediction_key row per event and one prediction_batch row per 100 events,
 * encoded as the API encodes them — the same rows, without the API.
 */
async function copyBaseline(pool, tenant, modelId, versionId, rows) {
  const client = await pool.connect();
  try {
    const body = JSON.parse(template()).predictions;
    const ids = Array.from({ length: rows }, ID_KINDS[args.ids]);
    const hour = (t) => t - (t % 3_600_000);
    function* keyLines() {
      let chunk = '';
      for (let i = 0; i < rows; i++) {
        const t = new Date(Date.now() - (i % 50) * 1000).toISOString();
        chunk += `${tenant.projectId}\t${ids[i]}\t${versionId}\t${t}\n`;
        if (chunk.length > 1 << 16) {
          yield chunk;
          chunk = '';
        }
      }
      if (chunk) yield chunk;
    }
    function* batchLines() {
      for (let start = 0; start < rows; start += EVENTS) {
        const now = Date.now();
        const events = [];
        for (let i = start; i < Math.min(rows, start + EVENTS); i++) {
          const p = body[i % EVENTS];
          events.push({ id: ids[i], time: now - (i % 50) * 1000, features: p.features, prediction: p.prediction, scores: p.scores });
        }
        // Same (version, hour) split as the API.
        const byHour = new Map();
        for (const e of events) byHour.set(hour(e.time), [...(byHour.get(hour(e.time)) ?? []), e]);
        let out = '';
        for (const [h, list] of byHour) {
          out += `${tenant.organizationId}\t${tenant.projectId}\t${modelId}\t${versionId}\t${new Date(h).toISOString()}\t${list.length}\t${copyText(encodeBatch(list))}\n`;
        }
        yield out;
      }
    }
    const started = performance.now();
    await client.query('BEGIN');
    await pipeline(
      Readable.from(keyLines()),
      client.query(copyStreams.from('COPY prediction_key (project_id, client_id, model_version_id, event_time) FROM STDIN')),
    );
    await pipeline(
      Readable.from(batchLines()),
      client.query(copyStreams.from('COPY prediction_batch (organization_id, project_id, model_id, model_version_id, hour, event_count, events) FROM STDIN')),
    );
    await client.query('COMMIT');
    return rows / ((performance.now() - started) / 1000);
  } finally {
    client.release();
  }
}

const hostJsonParseMBps = jsonParseMBps();
const machine = { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version };
if (args.keep !== true) await freshDatabase(DB_URL);
await ensureDatabase(DB_URL);
await migrate(DB_URL);
const db = createTestDb(DB_URL);
const tenant = await createTestTenant(db);
const port = await freePort();
const workers = Number(args.workers);
const api = await startApi(port, workers);
const url = `http://127.0.0.1:${port}`;
try {
  // Warm-up: registers the model, fills caches and JIT.
  await load(url, tenant.apiKey.secret, { connections: 8, duration: 3 });
  const before = await countEvents(db.pool, tenant.projectId);
  const walBefore = await walSince(db.pool);
  const sustained = await load(url, tenant.apiKey.secret, { connections: Number(args.connections), duration: Number(args.duration) });
  const stored = (await countEvents(db.pool, tenant.projectId)) - before;
  const sustainedWal = await walSince(db.pool, walBefore.lsn);
  const okRequests = sustained['2xx'];
  const throughput = {
    requests: sustained.requests.total,
    non2xx: sustained.non2xx,
    errors: sustained.errors,
    eventsStored: stored,
    eventsPerSecond: Math.round(stored / sustained.duration),
    requestsPerSecond: Math.round(okRequests / sustained.duration),
    latencyMs: { p50: sustained.latency.p50, p99: sustained.latency.p99, max: sustained.latency.max },
    walBytesPerEvent: Math.round(sustainedWal.bytes / stored),
  };
  // Latency at fixed rates, open loop from a separate process: rates the machine sustains,
  // then the bar's rate (which may overload it, so it runs last). Before each, a CHECKPOINT
  // (as pgbench does) and a 5-s pause, so a run does not pay for the WAL of the one before —
  // the saturated one writes ~0.5 GB, whose checkpoint would otherwise fall into the next run.
  // Checkpoints caused by a run's own WAL still fall into it.
  const latencyRuns = [];
  for (const rate of [...args['latency-rates'].split(',').map(Number), Number(args.rate)]) {
    await db.pool.query('CHECKPOINT');
    await new Promise((r) => setTimeout(r, 5_000));
    const gcBefore = await gcPauses(url);
    const eventsBefore = await countEvents(db.pool, tenant.projectId);
    const wal = await walSince(db.pool);
    const run = await openLoop(url, tenant.apiKey.secret, rate, Number(args['latency-duration'] ?? args.duration));
    const events = (await countEvents(db.pool, tenant.projectId)) - eventsBefore;
    const walBytesPerEvent = events > 0 ? Math.round((await walSince(db.pool, wal.lsn)).bytes / events) : null;
    latencyRuns.push({ ...run, walBytesPerEvent, apiGc: diffGc(await gcPauses(url), gcBefore) });
  }
  const ids = await db.pool.query(
    `SELECT m.id AS model_id, v.id AS version_id FROM models m JOIN model_versions v ON v.model_id = m.id WHERE m.project_id = $1 LIMIT 1`,
    [tenant.projectId],
  );
  const walBeforeCopy = await walSince(db.pool);
  const copyRate = await copyBaseline(db.pool, tenant, ids.rows[0].model_id, ids.rows[0].version_id, Number(args['copy-rows']));
  const copyWal = await walSince(db.pool, walBeforeCopy.lsn);
  const summary = {
    date: new Date().toISOString(),
    machine,
    apiProcesses: workers,
    hostJsonParseMBps,
    ids: args.ids,
    eventsPerRequest: EVENTS,
    featuresPerEvent: 10,
    throughput,
    copy: { eventsPerSecond: Math.round(copyRate), walBytesPerEvent: Math.round(copyWal.bytes / Number(args['copy-rows'])) },
    ratioToCopy: Math.round((throughput.eventsPerSecond / copyRate) * 100) / 100,
    latencyRuns,
  };
  console.log(JSON.stringify(summary, null, 2));
} finally {
  api.kill('SIGTERM');
  await db.close();
}
