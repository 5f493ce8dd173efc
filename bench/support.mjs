// Helpers shared by the benchmarks: the built API started as its own process, a fresh database, WAL written.
import { spawn } from 'node:child_process';
import pg from 'pg';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Starts `apps/api/dist/main.js` as `pnpm start` does (same Node flags), with the given environment, and waits for /readyz. */
export async function startApi(port, env, nodeArgs = []) {
  const proc = spawn(process.execPath, ['--max-semi-space-size=64', ...nodeArgs, join(ROOT, 'apps/api/dist/main.js')], {
    env: { ...process.env, NODE_ENV: 'production', VIGIL_SECRET_KEY: 'vigil-benchmark-secret-key-0123456789', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  // Up to two minutes: on a loaded machine the API takes a while to start.
  let last = 'no answer';
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
    if (proc.exitCode !== null) throw new Error(`the API exited with code ${proc.exitCode} before it was ready`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (r.ok) return proc;
      last = `${r.status} ${await r.text()}`;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  proc.kill();
  throw new Error(`API did not become ready (last /readyz: ${last})`);
}

/**
 * Drops and recreates the benchmark database, so every run starts from empty tables (a key
 * index grown by earlier runs would make each run slower than the last).
 */
export async function freshDatabase(url) {
  const name = new URL(url).pathname.slice(1);
  if (!/^vigil_bench\w*$/.test(name)) throw new Error(`refusing to drop ${name}: not a benchmark database`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    // FILE_COPY: WAL-logging every page of the template (the default) would leave a checkpoint
    // syncing thousands of files during the run.
    await client.query(`CREATE DATABASE ${name} STRATEGY FILE_COPY`);
  } finally {
    await client.end();
  }
}

/** Bytes of WAL written since `lsn` (from the start when omitted), and the current position: `client` is a pg Pool or Client. */
export async function walSince(client, lsn) {
  const r = await client.query('SELECT pg_current_wal_lsn()::text AS now, pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::float8 AS bytes', [lsn ?? '0/0']);
  return { lsn: r.rows[0].now, bytes: r.rows[0].bytes };
}

/**
 * The 10 features of one SDK benchmark prediction (the ingest microbench, the Python SDK's TypeScript
 * anchors; bench/sdk-python/hot_path.py and sustained.py build the same rows).
 */
export function benchFeatures(i) {
  return {
    amount: i * 0.5,
    age: 18 + (i % 60),
    country: 'DE',
    device: 'ios',
    is_new: true,
    score_a: 0.1,
    score_b: 0.2,
    items: i % 12,
    channel: 'web',
    hour: i % 24,
  };
}
