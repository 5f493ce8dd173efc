import { spawn } from 'node:child_process';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { startTestApi, type RunningApi } from '@vigil/api/testing';
import { createTestDb, createTestTenant, TEST_DATABASE_URL, TEST_REDIS_URL } from '@vigil/db/testing';
import { freePort } from '@vigil/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Vigil } from './index.js';

const db = createTestDb();
afterAll(() => db.close());

const features = (i: number) => ({ amount: i * 1.5, country: i % 2 ? 'DE' : 'FR', is_new: i % 3 === 0, age: 20 + (i % 50) });

async function storedCount(projectId: string): Promise<number> {
  const r = await db.pool.query<{ n: string; d: string }>(
    'SELECT count(*) AS n, count(DISTINCT client_id) AS d FROM vigil_prediction_events WHERE project_id = $1',
    [projectId],
  );
  expect(r.rows[0]!.n).toBe(r.rows[0]!.d);
  return Number(r.rows[0]!.n);
}

describe('SDK against a running API', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('delivers predictions and labels in batches and counts them', async () => {
    const t = await createTestTenant(db);
    const vigil = new Vigil({ apiKey: t.apiKey.secret, endpoint: api.url, batchSize: 200, exitHooks: false });
    for (let i = 0; i < 1_000; i++) vigil.logPrediction({ id: `s-${i}`, model: 'fraud', features: features(i), prediction: i % 2 });
    for (let i = 0; i < 100; i++) vigil.logLabel({ predictionId: `s-${i}`, label: i % 2 });
    await vigil.flush();
    const s = vigil.stats();
    expect(s.accepted).toBe(1_100);
    expect(s.dropped).toEqual({ invalid: 0, queueFull: 0, rejected: 0, failed: 0 });
    expect(s.requests).toBeGreaterThanOrEqual(6);
    expect(await storedCount(t.projectId)).toBe(1_000);
    const labelled = await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM vigil_prediction_events WHERE project_id = $1 AND label IS NOT NULL', [t.projectId]);
    expect(Number(labelled.rows[0]!.n)).toBe(100);
    await vigil.shutdown();
  });

  it('sends a partial batch after the flush interval without being asked', async () => {
    const t = await createTestTenant(db);
    const vigil = new Vigil({ apiKey: t.apiKey.secret, endpoint: api.url, flushIntervalMs: 100, exitHooks: false });
    vigil.logPrediction({ model: 'fraud', features: features(1), prediction: 1 });
    await expect.poll(() => storedCount(t.projectId), { timeout: 5_000 }).toBe(1);
    await vigil.shutdown();
  });

  it('counts items rejected by the server and invalid items caught locally, without throwing', async () => {
    const t = await createTestTenant(db);
    const vigil = new Vigil({ apiKey: t.apiKey.secret, endpoint: api.url, exitHooks: false });
    vigil.logPrediction({ model: 'fraud', features: features(1), prediction: 1 });
    vigil.logPrediction({ model: 'fraud', features: { nested: { x: 1 } } as never, prediction: 1 }); // passes the cheap check, server rejects
    vigil.logPrediction({ model: 'not a slug', features: {}, prediction: 1 });
    vigil.logPrediction(null as never);
    vigil.logPrediction({ model: 'fraud', features: [] as never, prediction: 1 });
    vigil.logLabel({ predictionId: 42 as never, label: 1 });
    await vigil.flush();
    const s = vigil.stats();
    expect(s.accepted).toBe(1);
    expect(s.dropped.rejected).toBe(1);
    expect(s.dropped.invalid).toBe(4);
    await vigil.shutdown();
  });

  it('gives up a batch refused for good (401) and counts it as failed', async () => {
    const errors: Error[] = [];
    const vigil = new Vigil({ apiKey: `vgl_abcdefgh_${'x'.repeat(32)}`, endpoint: api.url, exitHooks: false, onError: (e) => errors.push(e) });
    vigil.logPrediction({ model: 'fraud', features: features(1), prediction: 1 });
    await vigil.flush();
    expect(vigil.stats().dropped.failed).toBe(1);
    expect(vigil.stats().retries).toBe(0);
    expect(errors[0]?.message).toMatch(/401/);
    await vigil.shutdown();
  });
});

describe('SDK resilience', () => {
  it('keeps retrying while the API is down and delivers everything exactly once when it comes back', async () => {
    const t = await createTestTenant(db);
    const port = await freePort();
    const vigil = new Vigil({
      apiKey: t.apiKey.secret,
      endpoint: `http://127.0.0.1:${port}`,
      batchSize: 250,
      initialBackoffMs: 100,
      maxBackoffMs: 500,
      exitHooks: false,
    });
    for (let i = 0; i < 2_000; i++) vigil.logPrediction({ id: `r-${i}`, model: 'fraud', features: features(i), prediction: i % 2 });
    const flushed = vigil.flush();
    await expect.poll(() => vigil.stats().retries, { timeout: 10_000 }).toBeGreaterThanOrEqual(4);
    expect(await storedCount(t.projectId)).toBe(0);
    const api = await startTestApi({}, { port });
    try {
      await flushed;
      const s = vigil.stats();
      expect(s.accepted + s.duplicates).toBe(2_000);
      expect(s.dropped).toEqual({ invalid: 0, queueFull: 0, rejected: 0, failed: 0 });
      expect(await storedCount(t.projectId)).toBe(2_000);
    } finally {
      await vigil.shutdown();
      await api.close();
    }
  });

  it('re-sends the same ids when an answer is lost, and the server counts them once', async () => {
    const t = await createTestTenant(db);
    const api = await startTestApi();
    // A proxy that forwards every request but drops the connection instead of the first two answers.
    let dropped = 0;
    const target = new URL(api.url);
    const proxy: Server = createServer((req, res) => {
      const upstream = httpRequest({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
        if (dropped < 2) {
          dropped += 1;
          up.resume();
          up.on('end', () => res.destroy());
          return;
        }
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      req.pipe(upstream);
    });
    const proxyPort = await freePort();
    await new Promise<void>((resolve) => proxy.listen(proxyPort, '127.0.0.1', resolve));
    const vigil = new Vigil({ apiKey: t.apiKey.secret, endpoint: `http://127.0.0.1:${proxyPort}`, batchSize: 500, concurrency: 1, initialBackoffMs: 50, exitHooks: false });
    try {
      for (let i = 0; i < 1_000; i++) vigil.logPrediction({ id: `l-${i}`, model: 'fraud', features: features(i), prediction: 1 });
      await vigil.flush();
      const s = vigil.stats();
      expect(dropped).toBe(2);
      expect(s.retries).toBeGreaterThanOrEqual(2);
      expect(s.accepted + s.duplicates).toBe(1_000);
      expect(s.duplicates).toBeGreaterThan(0);
      expect(await storedCount(t.projectId)).toBe(1_000);
    } finally {
      await vigil.shutdown();
      await new Promise((r) => proxy.close(r));
      await api.close();
    }
  });

  it('loses and double-counts nothing when the API process is killed mid-load and restarted', async () => {
    const t = await createTestTenant(db);
    const port = await freePort();
    const apiMain = fileURLToPath(new URL('../../../apps/api/dist/main.js', import.meta.url));
    const startProcess = async () => {
      const child = spawn(process.execPath, [apiMain], {
        env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: TEST_DATABASE_URL, REDIS_URL: TEST_REDIS_URL, LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: String(port) },
        stdio: 'ignore',
      });
      await expect.poll(async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.status, { timeout: 20_000, interval: 100 }).toBe(200);
      return child;
    };
    let child = await startProcess();
    const vigil = new Vigil({ apiKey: t.apiKey.secret, endpoint: `http://127.0.0.1:${port}`, batchSize: 100, concurrency: 4, initialBackoffMs: 100, maxBackoffMs: 400, exitHooks: false });
    try {
      for (let i = 0; i < 6_000; i++) vigil.logPrediction({ id: `k-${i}`, model: 'fraud', features: features(i), prediction: i % 2 });
      const flushed = vigil.flush();
      // Kill it while batches are in flight: some committed without their answer reaching the SDK.
      await expect.poll(() => vigil.stats().accepted, { timeout: 20_000, interval: 5 }).toBeGreaterThan(500);
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      child = await startProcess();
      await flushed;
      const s = vigil.stats();
      expect(s.dropped).toEqual({ invalid: 0, queueFull: 0, rejected: 0, failed: 0 });
      expect(s.accepted + s.duplicates).toBe(6_000);
      expect(s.retries).toBeGreaterThan(0);
      expect(await storedCount(t.projectId)).toBe(6_000);
    } finally {
      await vigil.shutdown();
      child.kill('SIGTERM');
    }
  });

  it('honours Retry-After from a 429', async () => {
    const t = await createTestTenant(db);
    const api = await startTestApi({ RATE_LIMIT_PER_SECOND: '0.5', RATE_LIMIT_BURST: '1' });
    const vigil = new Vigil({ apiKey: t.apiKey.secret, endpoint: api.url, batchSize: 10, concurrency: 1, initialBackoffMs: 10, exitHooks: false });
    try {
      for (let i = 0; i < 20; i++) vigil.logPrediction({ id: `ra-${i}`, model: 'fraud', features: features(i), prediction: 1 });
      const started = Date.now();
      await vigil.flush();
      // The second request is throttled: Retry-After says 2 s (one token per 2 s), not the 10 ms backoff.
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
      expect(vigil.stats().accepted).toBe(20);
      expect(vigil.stats().retries).toBeGreaterThanOrEqual(1);
    } finally {
      await vigil.shutdown();
      await api.close();
    }
  });
});

describe('flush on process exit', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  const child = (mode: 'natural' | 'sigterm', key: string) =>
    spawn(process.execPath, [fileURLToPath(new URL('../test/exit-child.mjs', import.meta.url)), api.url, key, mode, '300'], { stdio: ['ignore', 'pipe', 'inherit'] });

  it('delivers what is queued when the process ends on its own (beforeExit)', async () => {
    const t = await createTestTenant(db);
    const proc = child('natural', t.apiKey.secret);
    const code = await new Promise((resolve) => proc.on('exit', resolve));
    expect(code).toBe(0);
    expect(await storedCount(t.projectId)).toBe(300);
  });

  it('delivers what is queued before a SIGTERM ends the process', async () => {
    const t = await createTestTenant(db);
    const proc = child('sigterm', t.apiKey.secret);
    await new Promise((resolve) => proc.stdout!.once('data', resolve));
    proc.kill('SIGTERM');
    const signal = await new Promise((resolve) => proc.on('exit', (_code, sig) => resolve(sig)));
    expect(signal).toBe('SIGTERM');
    expect(await storedCount(t.projectId)).toBe(300);
  });
});
