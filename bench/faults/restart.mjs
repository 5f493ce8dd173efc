#!/usr/bin/env node
// Fault drill (DESIGN.md §10: "Redis restarted, Postgres restarted during load: 0 events lost,
// 0 double-counted"). Restarts the machine's Postgres cluster or Redis server while the SDK
// sends predictions through the API and the worker merges them, then checks that every event
// was stored once and merged once. It restarts a service of the machine, so it is a drill to
// run by hand, not part of `pnpm test`.
//
//   node bench/faults/restart.mjs [--service postgres|redis] [--events 100000] [--rate 5000] [--restarts 2]
//
// The SDK sends at `--rate` events/s, so the restarts (3 s apart) fall in the middle of the load.
import { execFile, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { ensureDatabase, migrate } from '@vigil/db';
import { createTestDb, createTestTenant } from '@vigil/db/testing';
import { Vigil } from '@vigil/sdk';
import { freePort } from '@vigil/testing';
import { ROOT, freshDatabase, startApi } from '../support.mjs';

const { values: args } = parseArgs({ options: { events: { type: 'string', default: '100000' }, restarts: { type: 'string', default: '2' }, rate: { type: 'string', default: '5000' }, service: { type: 'string', default: 'postgres' } } });
const DB_URL = 'postgresql://postgres@127.0.0.1:5432/vigil_bench';
const REDIS_URL = 'redis://127.0.0.1:6379/2';
const PREFIX = `bench-faults-${Date.now().toString(36)}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const cluster = readdirSync('/etc/postgresql')[0];

const run = promisify(execFile);
/**
 * Restarts the service without blocking this process: the SDK keeps sending meanwhile. Redis
 * runs without persistence (as on the machines Vigil is tested on), so a restart loses every
 * queued job and schedule.
 */
async function restart() {
  const started = Date.now();
  if (args.service === 'redis') {
    await run('redis-cli', ['-p', '6379', 'shutdown', 'nosave']).catch(() => {}); // the connection ends as it stops
    await sleep(1_000);
    await run('redis-server', ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', '6379', '--save', '', '--appendonly', 'no']);
  } else {
    await run('pg_ctlcluster', ['--skip-systemctl-redirect', cluster, 'main', 'restart', '-m', 'fast']);
  }
  return Date.now() - started;
}
if (!['postgres', 'redis'].includes(args.service)) throw new Error(`--service: postgres or redis, not ${args.service}`);

await freshDatabase(DB_URL);
await ensureDatabase(DB_URL);
await migrate(DB_URL);
let db = createTestDb(DB_URL);
const tenant = await createTestTenant(db);
const port = await freePort();
const api = await startApi(port, { DATABASE_URL: DB_URL, REDIS_URL, QUEUE_PREFIX: PREFIX, RETRY_AFTER_SECONDS: '1' });
const worker = spawn(process.execPath, [join(ROOT, 'apps/worker/dist/main.js')], {
  env: { ...process.env, NODE_ENV: 'production', VIGIL_SECRET_KEY: 'vigil-benchmark-secret-key-0123456789', DATABASE_URL: DB_URL, REDIS_URL, QUEUE_PREFIX: PREFIX, LOG_LEVEL: process.env.LOG_LEVEL ?? 'error', WORKER_SCHEDULES: 'create-partitions,stream-sweep' },
  stdio: ['ignore', 'inherit', 'inherit'],
});

const total = Number(args.events);
const rate = Number(args.rate);
const step = Math.max(1, Math.round(rate / 10));
const vigil = new Vigil({ apiKey: tenant.apiKey.secret, endpoint: `http://127.0.0.1:${port}`, batchSize: 500, concurrency: 4, maxQueueSize: total + 1, initialBackoffMs: 200, maxBackoffMs: 2_000, exitHooks: false });
const started = Date.now();
const restarts = [];
try {
  const sending = (async () => {
    for (let i = 0; i < total; i++) {
      vigil.logPrediction({ id: `f-${i}`, model: 'faults', features: { x: i % 1000, c: i % 3 ? 'a' : 'b' }, prediction: i % 2 });
      // Paced in steps of 100 ms: `rate / 10` events per step.
      if (i % step === step - 1) await sleep(Math.max(0, started + ((i + 1) / rate) * 1000 - Date.now()));
    }
    await vigil.flush();
  })();
  for (let r = 0; r < Number(args.restarts); r++) {
    await sleep(3_000);
    const at = Date.now() - started;
    const acceptedBefore = vigil.stats().accepted;
    restarts.push({ at, tookMs: await restart(), acceptedBefore, acceptedAfter: vigil.stats().accepted });
  }
  await sending;
  // The pool reconnects by itself; a fresh handle keeps the check simple.
  await db.close().catch(() => {});
  db = createTestDb(DB_URL);
  const stored = async () => Number((await db.pool.query(`SELECT coalesce(sum(event_count), 0)::bigint AS n FROM prediction_batch WHERE project_id = $1`, [tenant.projectId])).rows[0].n);
  const distinct = Number((await db.pool.query(`SELECT count(*)::bigint AS n FROM prediction_key WHERE project_id = $1`, [tenant.projectId])).rows[0].n);
  const merged = async () => Number((await db.pool.query(`SELECT coalesce(sum(s.events_merged), 0)::bigint AS n FROM stream_state s JOIN model_versions v ON v.id = s.model_version_id WHERE v.project_id = $1`, [tenant.projectId])).rows[0].n);
  const deadline = Date.now() + 300_000;
  while ((await merged()) < (await stored()) && Date.now() < deadline) await sleep(1_000);
  const s = vigil.stats();
  const summary = {
    date: new Date().toISOString(),
    service: args.service,
    events: total,
    restarts,
    sdk: { accepted: s.accepted, duplicates: s.duplicates, retries: s.retries, dropped: s.dropped },
    stored: await stored(),
    distinctIds: distinct,
    merged: await merged(),
    seconds: Math.round((Date.now() - started) / 1000),
  };
  summary.ok = summary.stored === total && summary.distinctIds === total && summary.merged === total && s.accepted + s.duplicates === total;
  console.log(JSON.stringify(summary, null, 2));
  if (!summary.ok) process.exitCode = 1;
} finally {
  await vigil.shutdown();
  api.kill('SIGTERM');
  worker.kill('SIGTERM');
  await db.close().catch(() => {});
}
