import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { DefaultJobOptions, JobId, parseReceiverAllowList, QueueName } from '@vigil/contracts';
import { createChannel, DEVELOPMENT_SECRET_KEY, insertDelivery, listDeliveries, SecretBox } from '@vigil/db';
import { createTestDb, createTestTenant, TEST_REDIS_URL, type TestTenant } from '@vigil/db/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '@vigil/testing';
import { HttpReceiver } from '../../../test/support/receivers.js';
import { loadWorkerEnv } from '../../env.js';
import { processors } from '../../processors/index.js';
import { WorkerHost } from '../../worker-host.js';

/*
 * Notification delivery against receivers that misbehave: internal addresses, receivers that
 * answer with what they should not, and one workspace's receiver that hangs while others wait.
 * The worker allows `localhost` by name (as an operator would with VIGIL_NOTIFICATION_ALLOW_HOSTS)
 * and nothing else internal, so `http.nameUrl` is reachable and `http.url` (127.0.0.1) is not.
 */

const db = createTestDb();
const box = new SecretBox(DEVELOPMENT_SECRET_KEY);
const http = new HttpReceiver();
const prefix = `vs-${randomBytes(4).toString('hex')}`;
const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
const CONCURRENCY = 4;
let host: WorkerHost;
let deliveries: Queue;
const hanging: ServerResponse[] = [];

beforeAll(async () => {
  await http.start();
  host = new WorkerHost({
    connection,
    registry: processors,
    context: {
      db,
      env: loadWorkerEnv({
        NODE_ENV: 'test',
        VIGIL_NOTIFICATION_ALLOW_HOSTS: 'localhost',
        NOTIFY_WORKSPACE_CONCURRENCY: '2',
        // Failed attempts retry after a minute: each test looks at first attempts only.
        NOTIFY_RETRY_BASE_MS: '60000',
      }),
      logger: pino({ level: process.env.VIGIL_TEST_LOG ?? 'silent' }),
    },
    concurrency: CONCURRENCY,
    prefix,
    shutdownGraceMs: 2_000,
    schedules: [],
  });
  await host.start();
  deliveries = new Queue(QueueName.notificationDelivery, { connection: connection.duplicate(), prefix, defaultJobOptions: DefaultJobOptions[QueueName.notificationDelivery] });
});
afterAll(async () => {
  for (const res of hanging) if (!res.writableEnded) res.writeHead(200).end();
  await host.close();
  await deliveries.close();
  await http.close();
  await db.close();
  connection.disconnect();
});

/** A webhook channel of the tenant; created with an allow-list as wide as `allowedAtCreation`. */
async function webhook(t: TestTenant, url: string, allowedAtCreation = 'localhost'): Promise<string> {
  const created = await createChannel(db.forTenant(t.organizationId), box, { organizationId: t.organizationId, userId: t.userId }, t.teamId, { type: 'webhook', name: `hook ${randomBytes(2).toString('hex')}`, url }, parseReceiverAllowList(allowedAtCreation));
  return created.channel.id;
}

/** Plans a test delivery on the channel and hands it to the worker, as the delivery sweep would. */
async function send(t: TestTenant, channelId: string): Promise<string> {
  const deliveryId = await insertDelivery(db.pool, { organizationId: t.organizationId, teamId: t.teamId, channelId, groupKey: 'test', kind: 'test', payload: {} });
  await deliveries.add(QueueName.notificationDelivery, { organizationId: t.organizationId, deliveryId }, { jobId: JobId.notificationDelivery({ deliveryId }) });
  return deliveryId;
}

const attemptsOf = async (deliveryId: string) =>
  (await db.pool.query<{ status_code: number | null; error: string | null }>(`SELECT status_code, error FROM notification_attempts WHERE delivery_id = $1 ORDER BY attempt`, [deliveryId])).rows;

describe('delivering notifications safely', () => {
  it('refuses a channel whose receiver is an internal address (stored before the check, or allowed back then) without connecting', async () => {
    const t = await createTestTenant(db);
    const path = `/${t.tag}/internal`;
    // The API allowed 127.0.0.1 when this channel was made; the worker's list no longer does.
    const channelId = await webhook(t, `${http.url}${path}`, '127.0.0.1');
    const deliveryId = await send(t, channelId);
    const [attempt] = await until('the first attempt', async () => (await attemptsOf(deliveryId)).length > 0 && attemptsOf(deliveryId));
    expect(attempt).toEqual({ status_code: null, error: 'address not allowed' });
    expect(http.requests.filter((r) => r.path === path)).toEqual([]);
  });

  it("stores and shows a failing receiver's status in Vigil's words, never what it answered", async () => {
    const t = await createTestTenant(db);
    const path = `/${t.tag}/leaky`;
    http.route(path, (_req, res) => res.writeHead(500, { 'content-type': 'application/json' }).end('{"AccessKeyId":"ASIA-SECRET","Token":"metadata-credentials"}'));
    const channelId = await webhook(t, `${http.nameUrl}${path}`);
    const deliveryId = await send(t, channelId);
    await until('the first attempt', async () => (await attemptsOf(deliveryId)).length > 0);
    expect(await attemptsOf(deliveryId)).toEqual([{ status_code: 500, error: 'receiver answered 500' }]);
    const shown = await listDeliveries(db.forTenant(t.organizationId), [t.teamId], { channelId });
    expect(shown[0]).toMatchObject({ id: deliveryId, lastError: 'receiver answered 500', attempts: [expect.objectContaining({ statusCode: 500, error: 'receiver answered 500' })] });
    expect(JSON.stringify(shown)).not.toMatch(/SECRET|credentials/);
  });

  it("delivers another workspace's notification promptly while one workspace's 50 deliveries hang on a slow receiver", async () => {
    const a = await createTestTenant(db);
    const b = await createTestTenant(db);
    const slow = `/${a.tag}/slow`;
    const fine = `/${b.tag}/fine`;
    // A's receiver takes every request and answers none (until the test ends).
    http.route(slow, (_req, res) => hanging.push(res));
    const slowChannel = await webhook(a, `${http.nameUrl}${slow}`);
    const fineChannel = await webhook(b, `${http.nameUrl}${fine}`);
    for (let i = 0; i < 50; i++) await send(a, slowChannel);
    await until("A's first deliveries to reach its receiver", () => hanging.length >= 1);

    const started = Date.now();
    const bDelivery = await send(b, fineChannel);
    await until("B's delivery", async () => (await db.pool.query(`SELECT 1 FROM notification_deliveries WHERE id = $1 AND status = 'delivered'`, [bDelivery])).rowCount === 1, 15_000);
    // One FIFO queue would have B wait behind 50 requests of up to 10 s each, 4 at a time.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(http.ok(fine)).toHaveLength(1);
    // A never held more than its share of the worker's slots.
    expect(hanging.length).toBeLessThanOrEqual(2);
    // A's deliveries are waiting, not failed: stepping aside spends no attempt.
    const a50 = await db.pool.query<{ status: string; attempts: number; n: number }>(
      `SELECT status, attempts, count(*)::int AS n FROM notification_deliveries WHERE organization_id = $1 GROUP BY 1, 2`,
      [a.organizationId],
    );
    expect(a50.rows).toEqual([{ status: 'pending', attempts: 0, n: 50 }]);
  });
});
