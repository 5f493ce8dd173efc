#!/usr/bin/env node
// Ingest benchmark (DESIGN.md §10). Starts the built API as its own process against a fresh
// `vigil_bench` database, drives it from this process with autocannon (100 events × 10 features
// per request, every id unique), and compares with a raw COPY of the same rows into the same
// tables (keys and batches). Prints a JSON summary; bench/RESULTS.md records it.
//
//   node bench/ingest/run.mjs [--duration 20] [--connections 32] [--rate 1000] [--workers 1]
import { cpus, totalmem } from 'node:os';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import copyStreams from 'pg-copy-streams';
import { encodeBatch, ensureDatabase, migrate } from '@vigil/db';
import { createTestDb, createTestTenant } from '@vigil/db/testing';
import { freePort, startApi as startSharedApi } from '../support.mjs';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '20' },
    connections: { type: 'string', default: '32' },
    rate: { type: 'string', default: '1000' },
    workers: { type: 'string', default: '1' },
    'copy-rows': { type: 'string', default: '300000' },
    'api-node-args': { type: 'string', default: '' },
  },
});
const DB_URL = 'postgresql://postgres@127.0.0.1:5432/vigil_bench';
const REDIS_URL = 'redis://127.0.0.1:6379/2';
const EVENTS = 100;

/** One request body template: ids carry `@@` which is replaced by a per-request unique token. */
function template() {
  const now = Date.now();
  const items = [];
  for (let i = 0; i < EVENTS; i++) {
    items.push({
      id: `@@-${i}`,
      model: 'bench',
      timestamp: now - (i % 50) * 1000,
      features: {
        amount: Math.round(Math.random() * 100000) / 100,
        age: 18 + (i % 60),
        country: ['DE', 'FR', 'US', 'JP', 'BR'][i % 5],
        device: i % 3 ? 'android' : 'ios',
        is_new: i % 2 === 0,
        score_a: Math.random(),
        score_b: Math.random(),
        items: i % 12,
        channel: i % 7 ? 'web' : 'store',
        hour: i % 24,
      },
      prediction: i % 2,
      scores: Math.random(),
    });
  }
  return JSON.stringify({ predictions: items });
}

function startApi(port, workers) {
  const nodeArgs = args['api-node-args'].split(' ').filter(Boolean);
  return startSharedApi(port, { DATABASE_URL: DB_URL, REDIS_URL, API_WORKERS: String(workers), ...(process.env.BENCH_API_ENV ? JSON.parse(process.env.BENCH_API_ENV) : {}) }, nodeArgs);
}

function load(url, key, opts) {
  const body = template();
  let n = 0;
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${url}/v1/predictions`,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        connections: opts.connections,
        duration: opts.duration,
        ...(opts.rate ? { overallRate: opts.rate } : {}),
        requests: [{ setupRequest: (req) => ({ ...req, body: body.replaceAll('@@', `${run}-${++n}`) }) }],
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
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
    const hour = (t) => t - (t % 3_600_000);
    function* keyLines() {
      let chunk = '';
      for (let i = 0; i < rows; i++) {
        const t = new Date(Date.now() - (i % 50) * 1000).toISOString();
        chunk += `${tenant.projectId}\tcopy-${i}\t${tenant.organizationId}\t${versionId}\t${t}\n`;
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
          events.push({ id: `copy-${i}`, time: now - (i % 50) * 1000, features: p.features, prediction: p.prediction, scores: p.scores });
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
      client.query(copyStreams.from('COPY prediction_key (project_id, client_id, organization_id, model_version_id, event_time) FROM STDIN')),
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

const machine = { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version };
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
  const sustained = await load(url, tenant.apiKey.secret, { connections: Number(args.connections), duration: Number(args.duration) });
  const stored = (await countEvents(db.pool, tenant.projectId)) - before;
  const okRequests = sustained['2xx'];
  const throughput = {
    requests: sustained.requests.total,
    non2xx: sustained.non2xx,
    errors: sustained.errors,
    eventsStored: stored,
    eventsPerSecond: Math.round(stored / sustained.duration),
    requestsPerSecond: Math.round(okRequests / sustained.duration),
    latencyMs: { p50: sustained.latency.p50, p99: sustained.latency.p99, max: sustained.latency.max },
  };
  const atRate = await load(url, tenant.apiKey.secret, { connections: 64, duration: Number(args.duration), rate: Number(args.rate) });
  const latency = {
    targetRequestsPerSecond: Number(args.rate),
    achievedRequestsPerSecond: Math.round(atRate['2xx'] / atRate.duration),
    non2xx: atRate.non2xx,
    errors: atRate.errors,
    latencyMs: { p50: atRate.latency.p50, p90: atRate.latency.p90, p99: atRate.latency.p99, max: atRate.latency.max },
  };
  // The same latency measure at a rate the machine sustains (60% of the saturated throughput):
  // the service time a client sees when the API is busy but not overloaded.
  const sustainableRate = Math.round(throughput.requestsPerSecond * 0.6);
  const atSustainable = await load(url, tenant.apiKey.secret, { connections: 64, duration: Number(args.duration), rate: sustainableRate });
  const sustainableLatency = {
    targetRequestsPerSecond: sustainableRate,
    achievedRequestsPerSecond: Math.round(atSustainable['2xx'] / atSustainable.duration),
    non2xx: atSustainable.non2xx,
    errors: atSustainable.errors,
    latencyMs: { p50: atSustainable.latency.p50, p90: atSustainable.latency.p90, p99: atSustainable.latency.p99, max: atSustainable.latency.max },
  };
  const ids = await db.pool.query(
    `SELECT m.id AS model_id, v.id AS version_id FROM models m JOIN model_versions v ON v.model_id = m.id WHERE m.project_id = $1 LIMIT 1`,
    [tenant.projectId],
  );
  const copyRate = await copyBaseline(db.pool, tenant, ids.rows[0].model_id, ids.rows[0].version_id, Number(args['copy-rows']));
  const summary = {
    date: new Date().toISOString(),
    machine,
    apiProcesses: workers,
    eventsPerRequest: EVENTS,
    featuresPerEvent: 10,
    throughput,
    copy: { eventsPerSecond: Math.round(copyRate) },
    ratioToCopy: Math.round((throughput.eventsPerSecond / copyRate) * 100) / 100,
    latencyRun: latency,
    latencyAtSustainableRate: sustainableLatency,
  };
  console.log(JSON.stringify(summary, null, 2));
} finally {
  api.kill('SIGTERM');
  await db.close();
}
