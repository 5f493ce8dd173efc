import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { QueueName } from '@vigil/contracts';
import { createTestDb, TEST_REDIS_URL } from '@vigil/db/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { loadWorkerEnv } from './env.js';
import { startWorkerMetrics } from './metrics-server.js';
import { WorkerHost } from './worker-host.js';

const db = createTestDb();
const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
afterAll(async () => {
  await db.close();
  connection.disconnect();
});

describe('worker metrics (WORKER_METRICS_PORT)', () => {
  it('export job durations by queue and outcome, accepted by promtool check metrics', async () => {
    const metrics = await startWorkerMetrics({ port: 0, host: '127.0.0.1' });
    const prefix = `vm-${randomBytes(4).toString('hex')}`;
    const host = new WorkerHost({
      connection,
      registry: { [QueueName.maintenance]: async () => 'ok' },
      context: { db, env: loadWorkerEnv({ NODE_ENV: 'test' }), logger: pino({ level: 'silent' }) },
      concurrency: 1,
      prefix,
      shutdownGraceMs: 5_000,
      schedules: ['create-partitions'],
      onJobDone: metrics.observeJob,
    });
    const queue = new Queue(QueueName.maintenance, { connection, prefix });
    try {
      await host.start();
      // The schedule's job completes; a job whose payload does not match its schema fails.
      await queue.add('broken', { nonsense: true }, { attempts: 1 });
      const count = (text: string, outcome: string) =>
        Number(new RegExp(`^vigil_job_duration_seconds_count\\{queue="${QueueName.maintenance}",outcome="${outcome}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
      let text = '';
      for (const until = Date.now() + 15_000; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
        text = await (await fetch(`${metrics.url}/metrics`)).text();
        if (count(text, 'completed') >= 1 && count(text, 'failed') >= 1) break;
      }
      expect(count(text, 'completed')).toBeGreaterThanOrEqual(1);
      expect(count(text, 'failed')).toBe(1);
      expect(text).toContain('vigil_worker_process_cpu_seconds_total');
      expect(execFileSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' })).toBe('');
      expect((await fetch(`${metrics.url}/nope`)).status).toBe(404);
    } finally {
      await host.close();
      await queue.close();
      await metrics.close();
    }
  });
});
