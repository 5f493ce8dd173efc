import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { QueueName } from '@vigil/contracts';
import { createTestDb, TEST_REDIS_URL } from '@vigil/db/testing';
import { freePort } from '@vigil/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { loadWorkerEnv, serverAddressOf } from './env.js';
import { startWorkerServer } from './http-server.js';
import { WorkerHost } from './worker-host.js';

const db = createTestDb();
const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
const dead = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, lazyConnect: true, enableOfflineQueue: false, retryStrategy: () => null });
dead.on('error', () => {}); // refused on purpose
afterAll(async () => {
  await db.close();
  redis.disconnect();
  dead.disconnect();
});
const logger = pino({ level: 'silent' });

describe('the worker’s HTTP server (HEALTH_PORT)', () => {
  it('answers /healthz, and /readyz ready while Postgres and Redis answer and the worker is not stopping', async () => {
    let stopping = false;
    const port = await freePort();
    const server = await startWorkerServer({ port, host: '127.0.0.1', db, redis, logger, stopping: () => stopping });
    try {
      expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).toEqual({ status: 'ok' });
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready', checks: { postgres: 'ok', redis: 'ok' } });
      stopping = true;
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(503);
      expect((await fetch(`http://127.0.0.1:${port}/nope`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`, { method: 'POST' })).status).toBe(405);
    } finally {
      await server.close();
    }
  });

  it('is not ready when Redis does not answer, and names no host', async () => {
    const port = await freePort();
    const server = await startWorkerServer({ port, host: '127.0.0.1', db, redis: dead, logger, stopping: () => false });
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(res.status).toBe(503);
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({ status: 'not ready', checks: { postgres: 'ok', redis: 'failed' } });
      expect(text).not.toMatch(/127\.0\.0\.1|:1\b|ECONNREFUSED/);
    } finally {
      await server.close();
    }
  });

  it('exports job durations by queue and outcome at /metrics, accepted by promtool check metrics', async () => {
    const server = await startWorkerServer({ port: 0, host: '127.0.0.1', db, redis, logger, stopping: () => false });
    const prefix = `vm-${randomBytes(4).toString('hex')}`;
    const host = new WorkerHost({
      connection: redis,
      registry: { [QueueName.maintenance]: async () => 'ok' },
      context: { db, env: loadWorkerEnv({ NODE_ENV: 'test' }), logger },
      concurrency: 1,
      prefix,
      shutdownGraceMs: 5_000,
      schedules: ['create-partitions'],
      onJobDone: server.observeJob,
    });
    const queue = new Queue(QueueName.maintenance, { connection: redis, prefix });
    try {
      await host.start();
      // The schedule's job completes; a job whose payload does not match its schema fails.
      await queue.add('broken', { nonsense: true }, { attempts: 1 });
      const count = (text: string, outcome: string) =>
        Number(new RegExp(`^vigil_job_duration_seconds_count\\{queue="${QueueName.maintenance}",outcome="${outcome}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
      let text = '';
      for (const until = Date.now() + 15_000; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
        text = await (await fetch(`${server.url}/metrics`)).text();
        if (count(text, 'completed') >= 1 && count(text, 'failed') >= 1) break;
      }
      expect(count(text, 'completed')).toBeGreaterThanOrEqual(1);
      expect(count(text, 'failed')).toBe(1);
      expect(text).toContain('vigil_worker_process_cpu_seconds_total');
      expect(text).not.toContain('nodejs_active_handles_total');
      expect(execFileSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' })).toBe('');
    } finally {
      await host.close();
      await queue.close();
      await server.close();
    }
  });
});

describe('where the server listens', () => {
  it('on HEALTH_PORT, on WORKER_METRICS_PORT (its older name) when only that is set, nowhere when neither is', () => {
    expect(serverAddressOf(loadWorkerEnv({ NODE_ENV: 'test', HEALTH_PORT: '4100' }))).toEqual({ port: 4100, host: '0.0.0.0' });
    expect(serverAddressOf(loadWorkerEnv({ NODE_ENV: 'test', WORKER_METRICS_PORT: '9465', WORKER_METRICS_HOST: '127.0.0.1' }))).toEqual({ port: 9465, host: '127.0.0.1' });
    expect(serverAddressOf(loadWorkerEnv({ NODE_ENV: 'test', HEALTH_PORT: '4100', WORKER_METRICS_PORT: '4100' }))).toEqual({ port: 4100, host: '0.0.0.0' });
    expect(serverAddressOf(loadWorkerEnv({ NODE_ENV: 'test' }))).toBeNull();
  });

  it('refuses two different ports, naming WORKER_METRICS_PORT', () => {
    expect(() => loadWorkerEnv({ NODE_ENV: 'test', HEALTH_PORT: '4100', WORKER_METRICS_PORT: '9465' })).toThrow(/WORKER_METRICS_PORT: one server serves/);
  });
});
