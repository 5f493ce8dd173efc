#!/usr/bin/env node
// Pipeline benchmark (DESIGN.md §10: streaming freshness, worker memory). Starts the built API
// and the built worker as their own processes against the `vigil_bench` database, with a queue
// prefix of their own, then:
//
// 1. freshness — a separate load process (load.mjs, autocannon) ingests 100-event batches at
//    the target rate against a model with an uploaded reference; every `--probe-ms` this process
//    sends a probe batch of the same shape, takes the time its 2xx arrives, and polls until the
//    model version's streaming frontier has passed the probe's transaction. The frontier moves
//    in the same transaction that merges the events and writes the rolling-1h metrics, so that
//    instant is when the probe is visible in `rolling_1h` `prediction_count`.
// 2. memory — a second model version of 10 features receives events written directly to the
//    database (as the API writes them, `--chunk` events per transaction, all in one hour) until
//    it holds `--memory-events`; no jobs are enqueued for these rows, so the worker's 10-s
//    sweep finds them and merges what has committed, while the RSS of its
//    process (/proc/<pid>/status) is sampled against the events merged so far.
//
//   node bench/pipeline/run.mjs [--rate 20000] [--duration 60] [--memory-events 10000000] [--phase both|freshness|memory]
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureDatabase, insertNewPredictions, migrate } from '@vigil/db';
import { createTestDb, createTestTenant } from '@vigil/db/testing';
import { freePort } from '@vigil/testing';
import { ROOT, freshDatabase, startApi } from '../support.mjs';
import { EVENTS, batchBody, features, referenceCsv } from './batch.mjs';

const { values: args } = parseArgs({
  options: {
    keep: { type: 'boolean', default: false },
    rate: { type: 'string', default: '20000' },
    duration: { type: 'string', default: '60' },
    connections: { type: 'string', default: '32' },
    'probe-ms': { type: 'string', default: '500' },
    'memory-events': { type: 'string', default: '10000000' },
    chunk: { type: 'string', default: '20000' },
    phase: { type: 'string', default: 'both' },
    'worker-concurrency': { type: 'string', default: '4' },
  },
});
const DB_URL = 'postgresql://postgres@127.0.0.1:5432/vigil_bench';
const REDIS_URL = 'redis://127.0.0.1:6379/2';
const PREFIX = `bench-pipeline-${randomBytes(3).toString('hex')}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function startWorker() {
  return spawn(process.execPath, [join(ROOT, 'apps/worker/dist/main.js')], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      VIGIL_SECRET_KEY: 'vigil-benchmark-secret-key-0123456789',
      DATABASE_URL: DB_URL,
      REDIS_URL,
      QUEUE_PREFIX: PREFIX,
      LOG_LEVEL: 'warn',
      WORKER_CONCURRENCY: args['worker-concurrency'],
      WORKER_SCHEDULES: 'create-partitions,stream-sweep',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

const rssKb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

async function versionOf(pool, projectId, slug) {
  const r = await pool.query(
    `SELECT m.id AS model_id, v.id AS version_id FROM models m JOIN model_versions v ON v.model_id = m.id WHERE m.project_id = $1 AND m.slug = $2`,
    [projectId, slug],
  );
  return r.rows[0];
}

/** Events stored for a model version. */
async function storedEvents(pool, versionId) {
  const r = await pool.query(`SELECT coalesce(sum(event_count), 0)::bigint AS n FROM prediction_batch WHERE model_version_id = $1`, [versionId]);
  return Number(r.rows[0].n);
}

/** The id (xid8) of the transaction that stored a prediction: its key row's xmin, with the current epoch. */
async function writerOf(pool, projectId, clientId) {
  const r = await pool.query(
    `SELECT (((pg_current_xact_id()::text::bigint >> 32) << 32) | xmin::text::bigint)::text AS xid FROM prediction_key WHERE project_id = $1 AND client_id = $2`,
    [projectId, clientId],
  );
  return r.rows[0].xid;
}

async function waitFor(what, timeoutMs, check) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

async function freshness(pool, tenant, url) {
  const key = tenant.apiKey.secret;
  const post = (path, body, type = 'application/json') =>
    fetch(`${url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': type }, body });
  const up = await post('/v1/models/bench/reference', referenceCsv(5_000), 'text/csv');
  if (!up.ok) throw new Error(`reference upload: ${up.status} ${await up.text()}`);
  await waitFor('the reference profile', 120_000, async () => {
    const r = await pool.query(`SELECT status FROM reference_datasets WHERE project_id = $1`, [tenant.projectId]);
    return r.rows[0]?.status === 'ready';
  });
  // Registers the model's version and warms the API up.
  for (let i = 0; i < 20; i++) await post('/v1/predictions', batchBody(`warm${i}`).replaceAll('@@', 'w'));
  const { version_id: versionId } = await versionOf(pool, tenant.projectId, 'bench');

  const rate = Number(args.rate);
  const duration = Number(args.duration);
  const load = spawn(process.execPath, [join(ROOT, 'bench/pipeline/load.mjs'), url, key, String(Math.round(rate / EVENTS)), String(duration), args.connections], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let loadOut = '';
  load.stdout.on('data', (d) => (loadOut += d));
  const loadDone = new Promise((resolve) => load.once('exit', resolve));
  const before = await storedEvents(pool, versionId);
  const startedAt = Date.now();

  const samples = [];
  const pending = [];
  let n = 0;
  const probes = (async () => {
    while (Date.now() - startedAt < duration * 1000) {
      const tag = `probe${++n}`;
      const sent = Date.now();
      pending.push(
        (async () => {
          const res = await post('/v1/predictions', batchBody(tag).replaceAll('@@', 'p'));
          const acked = performance.now();
          if (!res.ok) return samples.push({ failed: res.status });
          await res.arrayBuffer();
          const xid = await writerOf(pool, tenant.projectId, `${tag}-p-0`);
          for (;;) {
            const r = await pool.query(`SELECT frontier > $2::xid8 AS visible FROM stream_state WHERE model_version_id = $1`, [versionId, xid]);
            if (r.rows[0]?.visible) break;
            await sleep(25);
          }
          samples.push({ at: sent - startedAt, ms: performance.now() - acked });
        })(),
      );
      await sleep(Number(args['probe-ms']));
    }
  })();
  const loads = [];
  const loadTimer = setInterval(() => loads.push(loadavg()[0]), 5_000);
  await probes;
  await loadDone;
  await Promise.all(pending);
  clearInterval(loadTimer);
  const result = JSON.parse(loadOut.trim().split('\n').pop());
  const stored = (await storedEvents(pool, versionId)) - before;
  const fresh = samples.filter((s) => s.ms !== undefined).map((s) => s.ms).sort((a, b) => a - b);
  // The rolling-1h count must equal what was stored (nothing lost, nothing counted twice).
  await waitFor('the backlog to drain', 600_000, async () => {
    const r = await pool.query(
      `SELECT NOT EXISTS (SELECT 1 FROM prediction_batch b WHERE b.model_version_id = s.model_version_id AND b.xid >= s.frontier
         AND b.xid < pg_snapshot_xmin(pg_current_snapshot())) AS drained FROM stream_state s WHERE s.model_version_id = $1`,
      [versionId],
    );
    return r.rows[0]?.drained;
  });
  const merged = Number((await pool.query(`SELECT events_merged FROM stream_state WHERE model_version_id = $1`, [versionId])).rows[0].events_merged);
  const total = await storedEvents(pool, versionId);
  return {
    targetEventsPerSecond: rate,
    durationSeconds: duration,
    load: { ...result, eventsStored: stored, eventsPerSecond: Math.round(stored / result.duration) },
    probes: { sent: n, failed: samples.filter((s) => s.failed).length, intervalMs: Number(args['probe-ms']) },
    freshnessMs: { p50: Math.round(percentile(fresh, 0.5)), p95: Math.round(percentile(fresh, 0.95)), max: Math.round(fresh.at(-1) ?? NaN) },
    loadAverage1m: { min: Math.min(...loads), max: Math.max(...loads) },
    afterDrain: { eventsMerged: merged, eventsStored: total },
  };
}

async function memory(db, tenant, workerPid) {
  const pool = db.pool;
  const target = Number(args['memory-events']);
  const chunk = Number(args.chunk);
  const slug = `mem-${randomBytes(3).toString('hex')}`;
  const t = { organizationId: tenant.organizationId, projectId: tenant.projectId };
  const { id: modelId } = await db.system.model.create({ data: { ...t, slug, name: slug } });
  const { id: versionId } = await db.system.modelVersion.create({ data: { ...t, modelId, name: 'default' } });
  const numerical = ['amount', 'age', 'score_a', 'score_b', 'items', 'hour'];
  await db.system.modelColumn.createMany({
    data: [...Object.keys(features(0)), 'prediction'].map((name) => ({
      ...t,
      modelId,
      name,
      kind: name === 'prediction' || numerical.includes(name) ? 'numerical' : 'categorical',
      role: name === 'prediction' ? 'prediction' : 'feature',
    })),
  });
  // One hour, two hours back: every event lands in the same hour and day window.
  const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 3_600_000);
  const merged = async () => Number((await pool.query(`SELECT events_merged FROM stream_state WHERE model_version_id = $1`, [versionId])).rows[0]?.events_merged ?? 0);
  const samples = [];
  let inserted = 0;
  let stop = false;
  const sampler = (async () => {
    while (!stop) {
      const s = { t: Date.now(), merged: await merged(), rssMb: rssKb(workerPid) / 1024, load: loadavg()[0] };
      samples.push(s);
      if (samples.length % 30 === 0) console.error(`memory: ${inserted} inserted, ${s.merged} merged, worker RSS ${Math.round(s.rssMb)} MB, load ${s.load}`);
      await sleep(1_000);
    }
  })();
  const started = Date.now();
  while (inserted < target) {
    const n = Math.min(chunk, target - inserted);
    // One transaction of `n` events, written as the API writes them, in batches of 1,000.
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      for (let from = inserted; from < inserted + n; from += 1_000) {
        const rows = [];
        for (let i = from + 1; i <= Math.min(from + 1_000, inserted + n); i++) {
          rows.push({ modelId, modelVersionId: versionId, id: `mem-${i}`, time: hour.getTime() + ((i * 7919) % 3_600_000), features: features(i), prediction: i % 2 });
        }
        await insertNewPredictions(client, t, rows);
      }
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    inserted += n;
  }
  const insertSeconds = (Date.now() - started) / 1000;
  await waitFor('the memory backlog to merge', 3_600_000, async () => (await merged()) >= target);
  stop = true;
  await sampler;
  samples.push({ t: Date.now(), merged: await merged(), rssMb: rssKb(workerPid) / 1024, load: loadavg()[0] });
  const at = (events) => samples.find((s) => s.merged >= events);
  const milestones = [10_000, 100_000, 1_000_000, 3_000_000, target].filter((e) => e <= target).map((e) => ({ events: e, rssMb: Math.round(at(e)?.rssMb ?? NaN) }));
  const rss = samples.map((s) => s.rssMb);
  return {
    events: target,
    chunkRowsPerTransaction: chunk,
    insertSeconds: Math.round(insertSeconds),
    mergeSeconds: Math.round((Date.now() - started) / 1000),
    rssMb: { min: Math.round(Math.min(...rss)), max: Math.round(Math.max(...rss)), milestones },
    loadAverage1m: { min: Math.min(...samples.map((s) => s.load)), max: Math.max(...samples.map((s) => s.load)) },
  };
}

const machine = { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version };
if (args.keep !== true) await freshDatabase(DB_URL);
await ensureDatabase(DB_URL);
await migrate(DB_URL);
const db = createTestDb(DB_URL);
const tenant = await createTestTenant(db);
const port = await freePort();
const api = await startApi(port, { DATABASE_URL: DB_URL, REDIS_URL, QUEUE_PREFIX: PREFIX });
const worker = startWorker();
const summary = { date: new Date().toISOString(), machine, loadAverageAtStart: loadavg() };
try {
  if (args.phase !== 'memory') summary.freshness = await freshness(db.pool, tenant, `http://127.0.0.1:${port}`);
  if (args.phase !== 'freshness') summary.memory = await memory(db, tenant, worker.pid);
  console.log(JSON.stringify(summary, null, 2));
} finally {
  api.kill('SIGTERM');
  worker.kill('SIGTERM');
  await db.close();
}
