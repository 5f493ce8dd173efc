#!/usr/bin/env node
// The Python SDK's numbers, side by side with the TypeScript SDK's in the same run:
//  1. µs per log_prediction call (bench/sdk-python/hot_path.py) next to logPrediction's
//     (hot-path-ts.mjs, the same inputs and blocks), no network involved;
//  2. sustained events/s from one process against the running API (sustained.py next to
//     sustained-ts.mjs), each event counted in the database afterwards.
// Usage: pnpm build && node bench/sdk-python/run.mjs [--events 200000] [--calls 300000]
// Env: VIGIL_BENCH_DATABASE_URL (dropped and recreated; default …/vigil_bench_sdk_python),
//      VIGIL_BENCH_REDIS_URL (default redis://127.0.0.1:6379/6), PYTHON (default python3).
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureDatabase, migrate } from '@vigil/db';
import { createTestDb, createTestTenant } from '@vigil/db/testing';
import { freePort } from '@vigil/testing';
import { ROOT, freshDatabase, startApi } from '../support.mjs';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '200000' },
    calls: { type: 'string', default: '300000' },
  },
});
const DB_URL =
  process.env.VIGIL_BENCH_DATABASE_URL ??
  'postgresql://postgres@127.0.0.1:5432/vigil_bench_sdk_python';
const REDIS_URL = process.env.VIGIL_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/6';
const PYTHON = process.env.PYTHON ?? 'python3';
const HERE = join(ROOT, 'bench', 'sdk-python');

/** Runs a script that prints one JSON object (possibly over several lines) and returns it. */
function runJson(cmd, argv) {
  const out = execFileSync(cmd, argv, { cwd: ROOT, maxBuffer: 1 << 24 }).toString();
  return JSON.parse(out.slice(out.indexOf('{')));
}

const machine = {
  cpus: cpus().length,
  cpu: cpus()[0]?.model,
  memoryGb: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  python: execFileSync(PYTHON, ['--version']).toString().trim(),
  loadAverage1mBefore: +loadavg()[0].toFixed(2),
  startedAt: new Date().toISOString(),
};

// 1. The hot path: Python and TypeScript alternately, twice each.
const hot = [];
for (let round = 0; round < 3; round++) {
  const py = runJson(PYTHON, [join(HERE, 'hot_path.py'), args.calls]);
  const ts = runJson(process.execPath, [join(HERE, 'hot-path-ts.mjs'), args.calls]);
  const ratio = (k) => ({
    min: +(py.usPerCall[k].min / ts.usPerCall[k].min).toFixed(2),
    median: +(py.usPerCall[k].median / ts.usPerCall[k].median).toFixed(2),
  });
  hot.push({
    python: py.usPerCall,
    typescript: ts.usPerCall,
    ratioGenerated: ratio('idAndTimestampGenerated'),
    ratioGiven: ratio('idAndTimestampGiven'),
    loadAverage1m: +loadavg()[0].toFixed(2),
  });
}

// 2. Sustained delivery to the running API.
await freshDatabase(DB_URL);
await ensureDatabase(DB_URL);
await migrate(DB_URL);
const db = createTestDb(DB_URL);
const port = await freePort();
const api = await startApi(port, { DATABASE_URL: DB_URL, REDIS_URL });
const url = `http://127.0.0.1:${port}`;
const stored = async (projectId) => {
  const r = await db.pool.query(
    'SELECT coalesce(sum(event_count), 0)::bigint AS n FROM prediction_batch WHERE project_id = $1',
    [projectId],
  );
  return Number(r.rows[0].n);
};
const sustained = [];
try {
  for (let round = 0; round < 2; round++) {
    for (const [name, cmd, script] of [
      ['python', PYTHON, join(HERE, 'sustained.py')],
      ['typescript', process.execPath, join(HERE, 'sustained-ts.mjs')],
    ]) {
      const t = await createTestTenant(db);
      const r = runJson(cmd, [script, url, t.apiKey.secret, args.events]);
      sustained.push({ sdk: name, ...r, storedInDatabase: await stored(t.projectId) });
    }
  }
} finally {
  api.kill('SIGTERM');
  await db.close();
}
machine.loadAverage1mAfter = +loadavg()[0].toFixed(2);
machine.finishedAt = new Date().toISOString();
console.log(JSON.stringify({ machine, hotPath: hot, sustained }, null, 2));
