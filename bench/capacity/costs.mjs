#!/usr/bin/env node
// Per-event costs for the capacity model (docs/scaling.md), measured on a Postgres cluster and
// a Redis of this run's own (bench/faults/services.mjs), so nothing else on the machine is
// counted:
//   - API CPU per event: the API process's CPU time (utime + stime, /proc) over an ingest run;
//   - Postgres CPU per event: CPU time of every process of the cluster over the same run;
//   - WAL bytes per event: pg_current_wal_lsn() before and after;
//   - worker merge cost per event: the worker's CPU time (and Postgres's) from its start until
//     every stored event is merged (the worker starts after the ingest, so nothing overlaps);
//   - storage bytes per event (stored batches and id keys, with their indexes);
//   - profile bytes per window: stored size of the column profiles per (model, window).
//
//   node bench/capacity/costs.mjs [--events 60000] [--batch 500] [--concurrency 4]
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureDatabase, ingestLedger, migrate } from '@vigil/db';
import { createTestDb, createTestTenant } from '@vigil/db/testing';
import { freePort } from '@vigil/testing';
import { startPostgres, startRedis } from '../faults/services.mjs';
import { ROOT, startApi, walSince } from '../support.mjs';

const { values: args } = parseArgs({ options: { events: { type: 'string', default: '60000' }, batch: { type: 'string', default: '500' }, concurrency: { type: 'string', default: '4' } } });
const EVENTS = Number(args.events);
const BATCH = Number(args.batch);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const TICK = 100; // clock ticks per second (getconf CLK_TCK on Linux)

/** CPU seconds (user + system) of one process. */
function cpuOf(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICK;
  } catch {
    return 0;
  }
}
/** CPU seconds of a process and its children that are still running (a Postgres cluster: the postmaster and its backends). */
function treeCpu(root) {
  let total = cpuOf(root);
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
      if (ppid === root) total += cpuOf(Number(d));
    } catch {
      // gone
    }
  }
  return total;
}

const pg = await startPostgres();
const redis = await startRedis();
const dbUrl = pg.url('vigil_capacity');
await ensureDatabase(dbUrl);
await migrate(dbUrl);
const db = createTestDb(dbUrl);
const postmaster = Number((await db.pool.query('SELECT pg_postmaster_start_time(), (SELECT pid FROM pg_stat_activity WHERE backend_type = $1 LIMIT 1) AS p', ['checkpointer'])).rows[0].p);
const clusterRoot = Number(readFileSync(`/proc/${postmaster}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
const tenant = await createTestTenant(db);
const prefix = `capacity-${Date.now().toString(36)}`;
const common = { DATABASE_URL: dbUrl, REDIS_URL: redis.url(), QUEUE_PREFIX: prefix, LOG_LEVEL: 'error', RATE_LIMIT_PER_SECOND: '100000', RATE_LIMIT_BURST: '100000' };
const port = await freePort();
const api = await startApi(port, common);

const features = (i) => ({ amount: ((i * 7_919) % 10_000) / 10, country: ['DE', 'FR', 'PL', 'IT'][i % 4], age: i % 17 === 0 ? null : 18 + (i % 60), tenure: (i * 31) % 120, channel: i % 2 ? 'web' : 'app', score_in: (i % 1000) / 1000 });
const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 3_600_000;
let next = 0;
async function sender() {
  while (next < EVENTS) {
    const from = next;
    next += BATCH;
    const predictions = [];
    for (let i = from; i < Math.min(from + BATCH, EVENTS); i++) predictions.push({ id: `c-${i}`, model: `cap-${i % 3}`, timestamp: hour + (i % 3_600_000), features: features(i), prediction: i % 3 === 0 ? 1 : 0 });
    const res = await fetch(`http://127.0.0.1:${port}/v1/predictions`, { method: 'POST', headers: { authorization: `Bearer ${tenant.apiKey.secret}`, 'content-type': 'application/json' }, body: JSON.stringify({ predictions }) });
    if (res.status !== 200 && res.status !== 207) throw new Error(`ingest: ${res.status} ${await res.text()}`);
  }
}
// A warm-up request (JIT, registration of the models and columns), not counted.
await fetch(`http://127.0.0.1:${port}/v1/predictions`, { method: 'POST', headers: { authorization: `Bearer ${tenant.apiKey.secret}`, 'content-type': 'application/json' }, body: JSON.stringify({ predictions: [0, 1, 2].map((i) => ({ id: `w-${i}`, model: `cap-${i}`, timestamp: hour, features: features(i), prediction: 0 })) }) });
const load0 = loadavg()[0];
const wal0 = await walSince(db.pool);
const [api0, pg0, t0] = [cpuOf(api.pid), treeCpu(clusterRoot), Date.now()];
await Promise.all(Array.from({ length: Number(args.concurrency) }, sender));
const [api1, pg1, t1] = [cpuOf(api.pid), treeCpu(clusterRoot), Date.now()];
const wal1 = await walSince(db.pool, wal0.lsn);

// The merge: a worker started now merges the whole backlog.
const worker = spawn(process.execPath, [join(ROOT, 'apps/worker/dist/main.js')], { env: { ...process.env, NODE_ENV: 'production', VIGIL_SECRET_KEY: 'vigil-benchmark-secret-key-0123456789', ...common, WORKER_SCHEDULES: 'stream-sweep' }, stdio: ['ignore', 'inherit', 'inherit'] });
const pgMerge0 = treeCpu(clusterRoot);
const walMerge0 = await walSince(db.pool);
const m0 = Date.now();
let ledger;
for (;;) {
  ledger = await ingestLedger(db.pool, tenant);
  if (ledger.mergedEvents >= ledger.storedEvents) break;
  if (Date.now() - m0 > 600_000) throw new Error(`not merged in 10 min: ${JSON.stringify(ledger)}`);
  await sleep(200);
}
const [workerCpu, pgMerge1, m1] = [cpuOf(worker.pid), treeCpu(clusterRoot), Date.now()];
const walMerge1 = await walSince(db.pool, walMerge0.lsn);
const profiles = (
  await db.pool.query(
    `SELECT granularity, count(DISTINCT (model_version_id, window_start))::int AS windows, count(*)::int AS rows, sum(pg_column_size(profile))::float8 AS bytes
     FROM column_profile WHERE organization_id = $1 GROUP BY granularity ORDER BY granularity`,
    [tenant.organizationId],
  )
).rows;
const storage = (
  await db.pool.query(
    `SELECT (SELECT coalesce(sum(pg_total_relation_size(inhrelid)), 0) FROM pg_inherits WHERE inhparent = 'prediction_batch'::regclass)::float8 AS batches,
            pg_total_relation_size('prediction_key')::float8 AS keys`,
  )
).rows[0];
const events = ledger.storedEvents - 3;
const result = {
  date: new Date(t0).toISOString(),
  machine: `${cpus().length} × ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  loadAverage1m: { before: load0, after: loadavg()[0] },
  events,
  featuresPerEvent: Object.keys(features(0)).length,
  ingest: {
    seconds: (t1 - t0) / 1000,
    eventsPerSecond: Math.round(events / ((t1 - t0) / 1000)),
    apiCpuMicrosPerEvent: ((api1 - api0) / events) * 1e6,
    postgresCpuMicrosPerEvent: ((pg1 - pg0) / events) * 1e6,
    walBytesPerEvent: wal1.bytes / events,
  },
  merge: {
    seconds: (m1 - m0) / 1000,
    workerCpuMicrosPerEvent: (workerCpu / events) * 1e6,
    postgresCpuMicrosPerEvent: ((pgMerge1 - pgMerge0) / events) * 1e6,
    walBytesPerEvent: walMerge1.bytes / events,
    note: 'worker CPU includes its start (≈ 1 s of CPU)',
  },
  storageBytesPerEvent: { batches: storage.batches / events, keys: storage.keys / events },
  profiles: profiles.map((p) => ({ granularity: p.granularity, windows: p.windows, columnProfiles: p.rows, bytesPerWindow: Math.round(p.bytes / p.windows), bytesPerColumnProfile: Math.round(p.bytes / p.rows) })),
};
console.log(JSON.stringify(result, null, 2));
// Both must be gone before their Postgres is: a worker left waiting for it would never exit.
await Promise.all(
  [worker, api].map(
    (p) =>
      new Promise((resolve) => {
        if (p.exitCode !== null || p.signalCode !== null) return resolve();
        p.once('exit', resolve);
        p.kill('SIGTERM');
        setTimeout(() => p.kill('SIGKILL'), 10_000).unref();
      }),
  ),
);
await db.close();
await redis.stop();
await pg.stop();
process.exit(0);
