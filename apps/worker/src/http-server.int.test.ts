import { createTestDb } from '@vigil/db/testing';
import { freePort } from '@vigil/testing';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { startHealthServer } from './health-server.js';

const db = createTestDb();
const redis = new Redis(process.env.VIGIL_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/1', { maxRetriesPerRequest: null });
const dead = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, lazyConnect: true, enableOfflineQueue: false, retryStrategy: () => null });
dead.on('error', () => {}); // refused on purpose
afterAll(async () => {
  await db.close();
  redis.disconnect();
  dead.disconnect();
});
const logger = pino({ level: 'silent' });

describe('worker probes', () => {
  it('answers /healthz, and /readyz ready while Postgres and Redis answer', async () => {
    let stopping = false;
    const port = await freePort();
    const server = await startHealthServer({ port, host: '127.0.0.1', db, redis, logger, stopping: () => stopping });
    try {
      expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).toEqual({ status: 'ok' });
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready', checks: { postgres: 'ok', redis: 'ok' } });
      stopping = true;
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(503);
      expect((await fetch(`http://127.0.0.1:${port}/nope`)).status).toBe(404);
    } finally {
      server.close();
    }
  });

  it('is not ready when Redis does not answer, and names no host', async () => {
    const port = await freePort();
    const server = await startHealthServer({ port, host: '127.0.0.1', db, redis: dead, logger, stopping: () => false });
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(res.status).toBe(503);
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({ status: 'not ready', checks: { postgres: 'ok', redis: 'failed' } });
      expect(text).not.toMatch(/127\.0\.0\.1|:1\b|ECONNREFUSED/);
    } finally {
      server.close();
    }
  });
});
