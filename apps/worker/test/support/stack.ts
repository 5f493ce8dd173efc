import { randomBytes } from 'node:crypto';
import { startTestApi } from '@vigil/api/testing';
import { createPrivateTestDatabase, createTestDb, TEST_REDIS_URL, type Db } from '@vigil/db/testing';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { loadWorkerEnv } from '../../src/env.js';
import { processors } from '../../src/processors/index.js';
import { WorkerHost } from '../../src/worker-host.js';

export interface Stack {
  api: string;
  db: Db;
  prefix: string;
  startWorker(): Promise<WorkerHost>;
  close(): Promise<void>;
}

/**
 * The real API and worker processes' code against the test Postgres and Redis, isolated from
 * other suites by a queue prefix and a database of their own (the worker's sweeps see every
 * tenant of its database).
 */
export async function startStack(): Promise<Stack> {
  const prefix = `vp-${randomBytes(4).toString('hex')}`;
  const database = await createPrivateTestDatabase('stack');
  const api = await startTestApi({ QUEUE_PREFIX: prefix, DATABASE_URL: database.url });
  const db = createTestDb(database.url);
  const connections: Redis[] = [];
  const hosts: WorkerHost[] = [];
  return {
    api: api.url,
    db,
    prefix,
    async startWorker() {
      const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
      connections.push(connection);
      const host = new WorkerHost({
        connection,
        registry: processors,
        context: { db, env: loadWorkerEnv({ NODE_ENV: 'test' }), logger: pino({ level: process.env.VIGIL_TEST_LOG ?? 'silent' }) },
        concurrency: 4,
        prefix,
        shutdownGraceMs: 5_000,
        schedules: ['stream-sweep'],
      });
      await host.start();
      hosts.push(host);
      return host;
    },
    async close() {
      await Promise.all(hosts.map((h) => h.close()));
      await api.close();
      await db.close();
      for (const c of connections) c.disconnect();
      await database.drop();
    },
  };
}
