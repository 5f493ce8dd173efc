#!/usr/bin/env node
// Fault drills (DESIGN.md §10), run by .ci/run after the tests. Each drill sends a sustained SDK
// load through the real API processes (apps/api/dist) to real worker processes
// (apps/worker/dist), plays one fault in the middle of it, and then checks that
//   - every event the SDK sent was acknowledged (accepted, or a duplicate of one accepted), none dropped;
//   - every acknowledged event is stored once (stored events = distinct ids = events sent);
//   - every stored event is merged once (events merged by streaming = events in the hour profiles = stored);
//   - every closed window holds exactly the metrics a clean recompute from the stored events gives.
// The drills:
//   kill-worker     a worker killed with SIGKILL while it merges, then replaced
//   restart-api     the API killed with SIGKILL while the SDK sends, then started again (the SDK retries)
//   restart-redis   Redis killed and started empty (no persistence: every job and schedule lost)
//   restart-postgres Postgres crashed (immediate shutdown) and started again
//   two-and-two     two API and two worker processes at once, two SDKs sending overlapping ids
// Postgres and Redis are throwaway servers of the drill's own (services.mjs), never the
// machine's: restarting those would break whatever else runs against them.
//
//   node bench/faults/drills.mjs [--only kill-worker,restart-api] [--events 8000] [--rate 800]
//
// Prints one table row per drill and exits 1 when any count is off.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DefaultJobOptions, QueueName } from '@vigil/contracts';
import { ensureDatabase, findWindowsToClose, ingestLedger, listMetricPoints, listProjectModels, migrate } from '@vigil/db';
import { createTestDb, createTestTenant } from '@vigil/db/testing';
import { Vigil } from '@vigil/sdk';
import { freePort } from '@vigil/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { ROOT, startApi } from '../support.mjs';
import { startPostgres, startRedis } from './services.mjs';

const { exactWindowPoints } = await import(join(ROOT, 'apps/worker/dist/jobs/windows/recompute-window.js'));

const DRILLS = ['kill-worker', 'restart-api', 'restart-redis', 'restart-postgres', 'two-and-two'];
const { values: args } = parseArgs({ options: { only: { type: 'string' }, events: { type: 'string', default: '8000' }, rate: { type: 'string', default: '800' } } });
const only = args.only ? args.only.split(',') : DRILLS;
for (const d of only) if (!DRILLS.includes(d)) throw new Error(`--only: one of ${DRILLS.join(', ')}, not ${d}`);
const EVENTS = Number(args.events);
const RATE = Number(args.rate);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SECRET = 'vigil-drill-secret-key-0123456789abcdef';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const T0 = Date.now();
/** Progress on stderr, so a drill that hangs says where. */
const log = (msg) => process.stderr.write(`[drills +${((Date.now() - T0) / 1000).toFixed(0)} s] ${msg}\n`);

async function until(what, timeoutMs, check) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await check().catch(() => false);
    if (got) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(250);
  }
}

// ---- processes ----------------------------------------------------------------------------

/** kill -9 and a graceful stop (SIGTERM, SIGKILL after 15 s) of a child process. */
function handle(proc) {
  const exited = new Promise((r) => proc.once('exit', r));
  return {
    kill9: async () => void (proc.kill('SIGKILL'), await exited),
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The built worker as its own process (the tail of its output kept for a failing drill's report). */
function spawnWorker(env) {
  const proc = spawn(process.execPath, [join(ROOT, 'apps/worker/dist/main.js')], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      VIGIL_SECRET_KEY: SECRET,
      LOG_LEVEL: 'error',
      WORKER_CONCURRENCY: '4',
      WORKER_SHUTDOWN_GRACE_MS: '5000',
      // The close sweep is asked for by the drill once every event is merged (below).
      WORKER_SCHEDULES: 'create-partitions,stream-sweep',
      WINDOW_GRACE_MS: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d) => (out = (out + d.toString()).slice(-4_000));
  proc.stdout.on('data', keep);
  proc.stderr.on('data', keep);
  return { ...handle(proc), output: () => out };
}

async function spawnApi(port, env) {
  // 'fatal': the errors a fault causes on purpose (503s while Postgres is down) would fill the CI log.
  return handle(await startApi(port, { VIGIL_SECRET_KEY: SECRET, LOG_LEVEL: 'fatal', RETRY_AFTER_SECONDS: '1', ...env }));
}

/** Job counts of one queue of the drill's prefix (0s while Redis is unreachable is not an answer: it throws). */
async function queueCounts(redisUrl, prefix, name) {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: 1, retryStrategy: () => null, lazyConnect: true });
  connection.on('error', () => {});
  const queue = new Queue(name, { connection, prefix });
  try {
    return await queue.getJobCounts('active', 'waiting', 'delayed', 'prioritized', 'failed');
  } finally {
    await queue.close().catch(() => {});
    connection.disconnect();
  }
}
const busy = (c) => c.active + c.waiting + c.delayed + c.prioritized;

// ---- load ---------------------------------------------------------------------------------

/**
 * Events of one drill: `count` ids from `first`, in the first ten minutes of `hour` (a closed
 * hour: its window can be recomputed). The same id always carries the same event, so two SDKs
 * sending one id send one event.
 */
function event(drill, i, hour) {
  return {
    id: `${drill}-${i}`,
    model: i % 5 === 0 ? 'drill-b' : 'drill-a',
    timestamp: hour + ((i * 7_919) % 600_000),
    features: { amount: (i % 1_000) * 1.25, country: ['DE', 'FR', 'PL'][i % 3], new_customer: i % 7 === 0, age: i % 13 === 0 ? null : 20 + (i % 50) },
    prediction: i % 4 === 0 ? 1 : 0,
  };
}

/** Sends ids [first, first + count) through `vigil` at `rate` events/s; resolves once all are answered. */
async function sendLoad(vigil, drill, first, count, hour) {
  const started = Date.now();
  const step = Math.max(1, Math.round(RATE / 10));
  for (let k = 0; k < count; k++) {
    vigil.logPrediction(event(drill, first + k, hour));
    if (k % step === step - 1) await sleep(Math.max(0, started + ((k + 1) / RATE) * 1000 - Date.now()));
  }
  await vigil.flush();
}

const sdk = (tenant, port) =>
  new Vigil({
    apiKey: tenant.apiKey.secret,
    endpoint: `http://127.0.0.1:${port}`,
    batchSize: 200,
    concurrency: 4,
    maxQueueSize: 4 * EVENTS,
    initialBackoffMs: 100,
    maxBackoffMs: 1_000,
    exitHooks: false,
  });

// ---- checks -------------------------------------------------------------------------------

/** Closed hour and day windows of the tenant: their stored points against a clean recompute. */
async function compareWindows(db, tenant, hour) {
  const t = db.forTenant(tenant.organizationId);
  const windows = [{ granularity: 'hour', windowStart: hour }];
  const day = hour - (hour % DAY);
  if (day + DAY <= Date.now()) windows.push({ granularity: 'day', windowStart: day });
  let checked = 0;
  let points = 0;
  const mismatches = [];
  for (const model of await listProjectModels(t, tenant.projectId)) {
    for (const version of model.versions) {
      for (const w of windows) {
        const job = { organizationId: tenant.organizationId, modelId: model.id, modelVersionId: version.id, granularity: w.granularity, windowStart: new Date(w.windowStart).toISOString() };
        const exact = await exactWindowPoints(db, job);
        const stored = await listMetricPoints(t, {
          modelId: model.id,
          modelVersionId: version.id,
          granularity: w.granularity,
          segment: '',
          from: new Date(w.windowStart),
          to: new Date(w.windowStart + 1),
          limit: 100_000,
        });
        const byKey = new Map(stored.map((p) => [`${p.metric}|${p.column}`, p.value]));
        for (const p of exact.points) {
          if ((p.segment ?? '') !== '') continue;
          const v = byKey.get(`${p.metric}|${p.columnName}`);
          const rel = v === undefined ? Infinity : Math.abs(v - p.value) / Math.max(1, Math.abs(v), Math.abs(p.value));
          if (!(rel <= 1e-9)) mismatches.push(`${model.slug} ${w.granularity} ${p.metric} ${p.columnName}: stored ${v} ≠ recomputed ${p.value}`);
          points += 1;
        }
        if (exact.rows > 0) checked += 1;
      }
    }
  }
  return { windows: checked, points, mismatches };
}

// ---- one drill ----------------------------------------------------------------------------

async function drill(name, env) {
  const { pg, redis, dbUrl } = env;
  const db = createTestDb(dbUrl);
  const tenant = await createTestTenant(db);
  const prefix = `drill-${name}-${Date.now().toString(36)}`;
  const redisUrl = redis.url();
  const hour = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR;
  const common = { DATABASE_URL: dbUrl, REDIS_URL: redisUrl, QUEUE_PREFIX: prefix };
  const started = Date.now();
  const workers = [];
  const apis = [];
  const apiPorts = name === 'two-and-two' ? [await freePort(), await freePort()] : [await freePort()];
  const clients = apiPorts.map((p) => sdk(tenant, p));
  const row = { drill: name, sent: 0, acked: 0, stored: 0, distinct: 0, merged: 0, profiled: 0, windows: 0, points: 0, mismatches: 0, retries: 0, fault: '', seconds: 0, ok: false };
  const fail = [];
  try {
    log(`${name}: starting ${apiPorts.length} API and ${apiPorts.length} worker process(es)`);
    for (const port of apiPorts) {
      workers.push(spawnWorker(common));
      apis.push(await spawnApi(port, common));
    }
    log(`${name}: sending`);
    // Two SDKs send overlapping ids (the middle half twice) to two APIs; one SDK otherwise.
    const expected = name === 'two-and-two' ? Math.floor(EVENTS * 1.5) : EVENTS;
    const loads = name === 'two-and-two' ? [sendLoad(clients[0], name, 0, EVENTS, hour), sendLoad(clients[1], name, Math.floor(EVENTS / 2), EVENTS, hour)] : [sendLoad(clients[0], name, 0, EVENTS, hour)];
    row.sent = name === 'two-and-two' ? 2 * EVENTS : EVENTS;
    const sending = Promise.all(loads);
    // The fault falls when about 40 % of the load is acknowledged.
    await until('40 % of the load to be acknowledged', 120_000, async () => clients.reduce((s, c) => s + c.stats().accepted, 0) >= 0.4 * EVENTS);
    if (name === 'kill-worker') {
      await until('a merge to be running', 60_000, async () => (await queueCounts(redisUrl, prefix, QueueName.ingestWindow)).active > 0);
      const active = (await queueCounts(redisUrl, prefix, QueueName.ingestWindow)).active;
      await workers[0].kill9();
      workers[0] = spawnWorker(common);
      row.fault = `SIGKILL with ${active} merge job(s) active`;
    } else if (name === 'restart-api') {
      const before = clients[0].stats().accepted;
      const killedAt = Date.now();
      await apis[0].kill9();
      apis[0] = await spawnApi(apiPorts[0], common);
      row.fault = `SIGKILL at ${before} acked; the new API ready ${((Date.now() - killedAt) / 1000).toFixed(0)} s later`;
    } else if (name === 'restart-redis') {
      row.fault = `down ${await redis.restart()} ms`;
    } else if (name === 'restart-postgres') {
      row.fault = `down ${await pg.restart()} ms`;
    } else {
      row.fault = '2 APIs, 2 workers';
    }
    log(`${name}: fault played (${row.fault})`);
    await sending;
    log(`${name}: every event answered; waiting for the merges`);
    for (const c of clients) {
      const s = c.stats();
      row.acked += s.accepted + s.duplicates;
      row.retries += s.retries;
      const dropped = Object.values(s.dropped).reduce((a, b) => a + b, 0);
      if (dropped > 0) fail.push(`SDK dropped ${JSON.stringify(s.dropped)}`);
    }
    // A batch stored whose answer was lost (the API killed after its commit) comes back as
    // duplicates on the retry: acked = accepted + duplicates. An id accepted twice is a double count.
    const accepted = clients.reduce((s, c) => s + c.stats().accepted, 0);
    if (accepted > expected) fail.push(`SDK accepted ${accepted} events of ${expected} distinct ids`);

    // Every stored event merged, and no merge job left.
    let ledger;
    await until('every stored event to be merged', 180_000, async () => {
      ledger = await ingestLedger(db.pool, tenant);
      return ledger.storedEvents > 0 && ledger.mergedEvents >= ledger.storedEvents && busy(await queueCounts(redisUrl, prefix, QueueName.ingestWindow)) === 0;
    });
    // Close the windows now (the schedule would, within a minute) and wait for their recompute.
    const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
    const maintenance = new Queue(QueueName.maintenance, { connection, prefix, defaultJobOptions: DefaultJobOptions[QueueName.maintenance] });
    await maintenance.add(QueueName.maintenance, { task: 'close-windows' }, { jobId: `drill-close-${Date.now()}` });
    await maintenance.close();
    connection.disconnect();
    log(`${name}: merged; closing the windows`);
    await until('every window to be closed', 120_000, async () => {
      const due = (await findWindowsToClose(db.pool, 0, 10_000)).filter((w) => w.organizationId === tenant.organizationId);
      return due.length === 0 && busy(await queueCounts(redisUrl, prefix, QueueName.windowRecompute)) === 0;
    });
    ledger = await ingestLedger(db.pool, tenant);
    Object.assign(row, { stored: ledger.storedEvents, distinct: ledger.distinctIds, merged: ledger.mergedEvents, profiled: ledger.hourProfileEvents });
    for (const [what, n] of Object.entries({ acked: row.acked, stored: row.stored, distinct: row.distinct, merged: row.merged, 'hour profiles': row.profiled })) {
      const want = what === 'acked' ? row.sent : expected;
      if (n !== want) fail.push(`${what} ${n} ≠ ${want}`);
    }
    log(`${name}: comparing the closed windows with a clean recompute`);
    const cmp = await compareWindows(db, tenant, hour);
    Object.assign(row, { windows: cmp.windows, points: cmp.points, mismatches: cmp.mismatches.length });
    if (cmp.windows === 0 || cmp.points === 0) fail.push('no closed window to compare');
    fail.push(...cmp.mismatches.slice(0, 10));
    for (const q of [QueueName.ingestWindow, QueueName.windowRecompute]) {
      const failed = (await queueCounts(redisUrl, prefix, q)).failed;
      if (failed > 0) fail.push(`${failed} failed job(s) in ${q}`);
    }
  } catch (e) {
    fail.push(e instanceof Error ? e.message : String(e));
  } finally {
    row.seconds = Math.round((Date.now() - started) / 1000);
    await Promise.all(clients.map((c) => c.shutdown().catch(() => {})));
    await Promise.all([...apis, ...workers].map((p) => p.stop()));
    await db.close().catch(() => {});
  }
  row.ok = fail.length === 0;
  if (!row.ok) {
    console.error(`\n${name}: FAILED\n  ${fail.join('\n  ')}`);
    for (const w of workers) if (w.output()) console.error(`  worker output (tail):\n${w.output()}`);
  }
  return row;
}

// ---- main ---------------------------------------------------------------------------------

const pg = await startPostgres();
const redis = await startRedis();
const dbUrl = pg.url('vigil_drills');
const rows = [];
log(`Postgres and Redis of the drills up: ${dbUrl}, ${redis.url()}`);
try {
  await ensureDatabase(dbUrl);
  await migrate(dbUrl);
  for (const name of only) {
    const row = await drill(name, { pg, redis, dbUrl });
    rows.push(row);
    console.log(`${name}: ${row.ok ? 'ok' : 'FAILED'} (${row.seconds} s)`);
  }
} catch (e) {
  console.error(e);
  process.exitCode = 1;
} finally {
  await redis.stop();
  await pg.stop();
}
console.log(`\nFault drills, ${EVENTS} events per SDK at ${RATE}/s (${new Date().toISOString()})`);
console.table(rows.map(({ drill, sent, acked, stored, distinct, merged, profiled, windows, points, mismatches, retries, fault, seconds, ok }) => ({ drill, sent, acked, stored, distinct, merged, 'hour profiles': profiled, windows, 'points checked': points, mismatches, 'sdk retries': retries, fault, seconds, ok })));
// Exit explicitly: a process left behind by a failed drill must not keep CI waiting.
process.exit(process.exitCode || rows.length !== only.length || rows.some((r) => !r.ok) ? 1 : 0);
