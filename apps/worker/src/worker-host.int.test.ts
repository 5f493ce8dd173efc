import { randomBytes } from 'node:crypto';
import { QueueName } from '@vigil/contracts';
import { createTestDb, TEST_REDIS_URL } from '@vigil/db/testing';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { loadWorkerEnv } from './env.js';
import { processors, type ProcessorRegistry } from './processors/index.js';
import { WorkerHost } from './worker-host.js';

const db = createTestDb();
const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
const logger = pino({ level: 'silent' });
const env = loadWorkerEnv({ NODE_ENV: 'test' });
afterAll(async () => {
  await db.close();
  connection.disconnect();
});

function host(registry: ProcessorRegistry, prefix: string, shutdownGraceMs = 10_000) {
  return new WorkerHost({
    connection,
    registry,
    context: { db, env, logger },
    concurrency: 2,
    prefix,
    shutdownGraceMs,
    schedules: ['create-partitions'],
  });
}

describe('worker host', () => {
  it('runs the partition schedule at start-up so the coming days can take events', async () => {
    const prefix = `vt-${randomBytes(4).toString('hex')}`;
    const events = new QueueEvents(QueueName.maintenance, { connection: connection.duplicate(), prefix });
    await events.waitUntilReady();
    const done = new Promise<void>((resolve) => events.on('completed', () => resolve()));
    const h = host(processors, prefix);
    await h.start();
    await done;
    await h.close();
    await events.close();
    const ahead = new Date(Date.now() + env.PARTITIONS_AHEAD_DAYS * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
    const { rows } = await db.pool.query(`SELECT to_regclass($1) AS t`, [`prediction_batch_${ahead}`]);
    expect(rows[0].t).toBe(`prediction_batch_${ahead}`);
  });

  it('lets an in-flight job finish on shutdown instead of abandoning it', async () => {
    const prefix = `vt-${randomBytes(4).toString('hex')}`;
    let started!: () => void;
    const startedP = new Promise<void>((r) => (started = r));
    let finished = false;
    const registry: ProcessorRegistry = {
      [QueueName.maintenance]: async () => {
        started();
        await new Promise((r) => setTimeout(r, 600));
        finished = true;
        return 'ok';
      },
    };
    const queue = new Queue(QueueName.maintenance, { connection, prefix });
    const h = host(registry, prefix);
    await h.start();
    await startedP; // the scheduled job is running now
    await h.close();
    expect(finished).toBe(true);
    const completed = await queue.getCompletedCount();
    expect(completed).toBeGreaterThanOrEqual(1);
    expect(await queue.getActiveCount()).toBe(0);
    await queue.close();
  });

  it('fails a job with an invalid payload at once instead of retrying it', async () => {
    const prefix = `vt-${randomBytes(4).toString('hex')}`;
    const queue = new Queue(QueueName.maintenance, { connection, prefix });
    const events = new QueueEvents(QueueName.maintenance, { connection: connection.duplicate(), prefix });
    await events.waitUntilReady();
    const h = host({ [QueueName.maintenance]: async () => 'never' }, prefix);
    const failed = new Promise<string>((resolve) =>
      events.on('failed', ({ jobId, failedReason }) => {
        if (jobId === 'poison') resolve(failedReason);
      }),
    );
    await queue.add('poison', { task: 'no-such-task' }, { jobId: 'poison', attempts: 5 });
    await h.start();
    expect(await failed).toMatch(/invalid payload/);
    const job = await queue.getJob('poison');
    expect(job?.attemptsMade).toBe(1);
    await h.close();
    await events.close();
    await queue.close();
  });
});
