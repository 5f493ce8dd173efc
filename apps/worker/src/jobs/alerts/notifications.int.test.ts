import { createHmac, randomBytes } from 'node:crypto';
import { JobId, parseReceiverAllowList, QueueName, type AlertRuleDefinitionInput } from '@vigil/contracts';
import { createAlertRule, createChannel, createSilence, DEVELOPMENT_SECRET_KEY, SecretBox, setNotificationPolicy, upsertMetricPoints } from '@vigil/db';
import { createTestDb, createTestTenant, TEST_REDIS_URL, type TestTenant } from '@vigil/db/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '@vigil/testing';
import { createModel, insertEvents, rows, type TestModel } from '../../../test/support/fixtures.js';
import { HttpReceiver, SmtpReceiver, subjectOf } from '../../../test/support/receivers.js';
import { loadWorkerEnv } from '../../env.js';
import { processors, requestAlertEvaluation } from '../../processors/index.js';
import { WorkerHost } from '../../worker-host.js';

const HOUR = 3_600_000;
const db = createTestDb();
const box = new SecretBox(DEVELOPMENT_SECRET_KEY);
// The receivers listen on 127.0.0.1, an internal address: allowed here as an operator would.
const ALLOW_LOCAL_RECEIVERS = '127.0.0.1/32';
const receivers = parseReceiverAllowList(ALLOW_LOCAL_RECEIVERS);
const http = new HttpReceiver();
const smtp = new SmtpReceiver();
const prefix = `va-${randomBytes(4).toString('hex')}`;
const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
let host: WorkerHost;
let evaluations: Queue;

beforeAll(async () => {
  await http.start();
  await smtp.start();
  host = new WorkerHost({
    connection,
    registry: processors,
    context: {
      db,
      env: loadWorkerEnv({
        NODE_ENV: 'test',
        PAGERDUTY_EVENTS_URL: `${http.url}/pagerduty`,
        SMTP_URL: smtp.url,
        NOTIFY_RETRY_BASE_MS: '200',
        // Hour windows count as complete as soon as they end: the last full hour is always ready.
        WINDOW_GRACE_MS: '0',
        WEB_URL: 'https://vigil.example.test',
        VIGIL_NOTIFICATION_ALLOW_HOSTS: ALLOW_LOCAL_RECEIVERS,
      }),
      logger: pino({ level: process.env.VIGIL_TEST_LOG ?? 'silent' }),
    },
    concurrency: 4,
    prefix,
    shutdownGraceMs: 5_000,
    schedules: [],
  });
  await host.start();
  evaluations = new Queue(QueueName.alertEvaluation, { connection: connection.duplicate(), prefix });
});
afterAll(async () => {
  await host.close();
  await evaluations.close();
  await http.close();
  await smtp.close();
  await db.close();
  connection.disconnect();
});

/** Asks the worker to evaluate the workspace now (as the pipeline or the sweep would). */
async function evaluate(t: TestTenant): Promise<void> {
  await evaluations.add(QueueName.alertEvaluation, { organizationId: t.organizationId, trigger: 'schedule' }, { jobId: `ae_test_${randomBytes(4).toString('hex')}` });
}

/** Writes the hourly `drift_detected` point of column x for the window that started `hoursAgo` hours before this hour. */
async function driftPoint(t: TestTenant, m: TestModel, hoursAgo: number, drifted: boolean): Promise<void> {
  await upsertMetricPoints(db.pool, [
    {
      organizationId: t.organizationId,
      projectId: t.projectId,
      modelId: m.modelId,
      modelVersionId: m.versionId,
      metric: 'drift_detected',
      columnName: 'x',
      granularity: 'hour',
      windowStart: new Date(Math.floor(Date.now() / HOUR) * HOUR - hoursAgo * HOUR),
      value: drifted ? 1 : 0,
      details: { test: 'wasserstein', threshold: 0.1 },
    },
  ]);
}

interface Setup {
  t: TestTenant;
  model: TestModel;
  tag: string;
  webhookSecret: string;
  routingKey: string;
  mailTo: string;
}

/** A workspace with a model, four channels on the local receivers and a drift rule using all of them. */
async function setup(opts: { webhookPath?: string; channels?: ('webhook' | 'slack' | 'email' | 'pagerduty')[] } = {}): Promise<Setup> {
  const t = await createTestTenant(db);
  const model = await createModel(db, t);
  const tag = t.tag;
  const actor = { organizationId: t.organizationId, userId: t.userId };
  const tdb = db.forTenant(t.organizationId);
  const routingKey = `rk-${tag}`;
  const mailTo = `oncall-${tag}@example.test`;
  const wanted = opts.channels ?? ['webhook', 'slack', 'email', 'pagerduty'];
  const channelIds: string[] = [];
  let webhookSecret = '';
  for (const type of wanted) {
    const input =
      type === 'webhook'
        ? { type, name: 'hook', url: `${http.url}${opts.webhookPath ?? `/${tag}/webhook`}` }
        : type === 'slack'
          ? { type, name: 'slack', webhookUrl: `${http.url}/${tag}/slack` }
          : type === 'email'
            ? { type, name: 'mail', to: [mailTo] }
            : { type, name: 'pd', routingKey };
    const created = await createChannel(tdb, box, actor, t.teamId, input, receivers);
    if (created.signingSecret) webhookSecret = created.signingSecret;
    channelIds.push(created.channel.id);
  }
  await setNotificationPolicy(tdb, actor, t.teamId, { groupWaitSeconds: 0, groupIntervalSeconds: 1 });
  const rule: AlertRuleDefinitionInput = {
    name: 'Drift on x',
    metric: 'drift_detected',
    column: { kind: 'one', name: 'x' },
    granularity: 'hour',
    condition: { threshold: { kind: 'drift_verdict' } },
    channels: channelIds,
  };
  await createAlertRule(tdb, actor, t.teamId, rule);
  return { t, model, tag, webhookSecret, routingKey, mailTo };
}

const pdEvents = (routingKey: string) =>
  http.ok('/pagerduty').map((r) => JSON.parse(r.body) as { routing_key: string; event_action: string; dedup_key: string }).filter((e) => e.routing_key === routingKey);
const mailsTo = (to: string) => smtp.mails.filter((m) => m.to.includes(to));

describe('alert notifications over real receivers', () => {
  it('sends one firing and one resolved notification per channel for a drift episode, signed, and nothing more', async () => {
    const s = await setup();
    await driftPoint(s.t, s.model, 3, false);
    await driftPoint(s.t, s.model, 2, true);
    await evaluate(s.t);
    await until('the firing notifications', () =>
      http.ok(`/${s.tag}/webhook`).length === 1 && http.ok(`/${s.tag}/slack`).length === 1 && pdEvents(s.routingKey).length === 1 && mailsTo(s.mailTo).length === 1,
    );

    // The window after the episode is clean: the alert resolves and every channel hears it once.
    await driftPoint(s.t, s.model, 1, false);
    await evaluate(s.t);
    await until('the resolved notifications', () =>
      http.ok(`/${s.tag}/webhook`).length === 2 && http.ok(`/${s.tag}/slack`).length === 2 && pdEvents(s.routingKey).length === 2 && mailsTo(s.mailTo).length === 2,
    );
    // Evaluating again (the sweep, a duplicate job) changes nothing and sends nothing.
    await evaluate(s.t);
    await evaluate(s.t);
    await new Promise((r) => setTimeout(r, 2_500));
    expect([http.ok(`/${s.tag}/webhook`).length, http.ok(`/${s.tag}/slack`).length, pdEvents(s.routingKey).length, mailsTo(s.mailTo).length]).toEqual([2, 2, 2, 2]);

    const [fired, resolved] = http.ok(`/${s.tag}/webhook`);
    for (const r of [fired!, resolved!]) {
      const ts = Number(r.headers['x-vigil-timestamp']);
      expect(Math.abs(Date.now() / 1000 - ts)).toBeLessThan(120);
      const expected = `v1=${createHmac('sha256', s.webhookSecret).update(`${ts}.${r.body}`).digest('hex')}`;
      expect(r.headers['x-vigil-signature']).toBe(expected);
      expect(r.headers['x-vigil-delivery']).toBe(JSON.parse(r.body).deliveryId);
    }
    const firedBody = JSON.parse(fired!.body);
    const resolvedBody = JSON.parse(resolved!.body);
    expect([firedBody.status, resolvedBody.status]).toEqual(['firing', 'resolved']);
    expect(firedBody.alerts).toHaveLength(1);
    expect(firedBody.alerts[0]).toMatchObject({ status: 'firing', severity: 'critical', metric: 'drift_detected', column: 'x', model: { slug: s.model.slug }, rule: { name: 'Drift on x' } });
    expect(firedBody.alerts[0].url).toContain('https://vigil.example.test/alerts?fingerprint=');

    const [slackFired, slackResolved] = http.ok(`/${s.tag}/slack`).map((r) => JSON.parse(r.body) as { text: string; blocks: unknown[] });
    expect(slackFired!.text).toMatch(/^\[FIRING\] .*Drift on x/);
    expect(slackFired!.text).toContain(s.model.slug);
    expect(slackResolved!.text).toMatch(/^\[RESOLVED\]/);
    expect(slackFired!.blocks.length).toBeGreaterThan(1);

    const [trigger, resolve] = pdEvents(s.routingKey);
    const alert = await db.pool.query<{ fingerprint: string; state: string }>(`SELECT fingerprint, state FROM alerts WHERE organization_id = $1`, [s.t.organizationId]);
    expect(alert.rows).toEqual([{ fingerprint: firedBody.alerts[0].fingerprint, state: 'resolved' }]);
    expect([trigger!.event_action, resolve!.event_action]).toEqual(['trigger', 'resolve']);
    expect([trigger!.dedup_key, resolve!.dedup_key]).toEqual([alert.rows[0]!.fingerprint, alert.rows[0]!.fingerprint]);

    const [mail1, mail2] = mailsTo(s.mailTo);
    expect(subjectOf(mail1!.raw)).toMatch(new RegExp(`^\\[Vigil\\] \\[FIRING\\] ${s.model.slug} — Drift on x$`));
    expect(subjectOf(mail2!.raw)).toMatch(/^\[Vigil\] \[RESOLVED\]/);
    expect(mail1!.raw).toContain('text/html');
    expect(mail1!.raw).toContain('text/plain');

    // Every transition is on record.
    const events = await db.pool.query<{ from_state: string; to_state: string }>(
      `SELECT from_state, to_state FROM alert_events WHERE organization_id = $1 ORDER BY id`,
      [s.t.organizationId],
    );
    expect(events.rows.map((e) => `${e.from_state}→${e.to_state}`)).toEqual(['ok→firing', 'firing→resolved']);
    const deliveries = await db.pool.query<{ kind: string; status: string; n: number }>(
      `SELECT kind, status, count(*)::int AS n FROM notification_deliveries WHERE organization_id = $1 GROUP BY 1, 2 ORDER BY 1`,
      [s.t.organizationId],
    );
    expect(deliveries.rows).toEqual([
      { kind: 'firing', status: 'delivered', n: 4 },
      { kind: 'resolved', status: 'delivered', n: 4 },
    ]);
  });

  it('retries a receiver that fails three times and delivers the notification once', async () => {
    const path = `/${randomBytes(3).toString('hex')}/flaky`;
    http.failNext(path, 3);
    const s = await setup({ webhookPath: path, channels: ['webhook'] });
    await driftPoint(s.t, s.model, 1, true);
    await evaluate(s.t);
    await until('the delivery after three failures', () => http.ok(path).length === 1);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(http.requests.filter((r) => r.path === path).map((r) => r.status)).toEqual([500, 500, 500, 200]);
    const d = await db.pool.query<{ status: string; attempts: number; id: string }>(`SELECT id, status, attempts FROM notification_deliveries WHERE organization_id = $1`, [s.t.organizationId]);
    expect(d.rows).toEqual([{ id: d.rows[0]!.id, status: 'delivered', attempts: 4 }]);
    const attempts = await db.pool.query<{ attempt: number; status_code: number | null; error: string | null }>(
      `SELECT attempt, status_code, error FROM notification_attempts WHERE delivery_id = $1 ORDER BY attempt`,
      [d.rows[0]!.id],
    );
    expect(attempts.rows.map((a) => [a.attempt, a.status_code, a.error === null])).toEqual([
      [1, 500, false],
      [2, 500, false],
      [3, 500, false],
      [4, 200, true],
    ]);
  });

  it('sends nothing for a silenced model, while its alert still fires', async () => {
    const s = await setup({ channels: ['webhook', 'slack'] });
    const actor = { organizationId: s.t.organizationId, userId: s.t.userId };
    await createSilence(db.forTenant(s.t.organizationId), actor, s.t.teamId, {
      matchers: [{ name: 'model', op: '=', value: s.model.modelId }],
      comment: 'maintenance',
      durationMinutes: 60,
    });
    await driftPoint(s.t, s.model, 1, true);
    await evaluate(s.t);
    await until('the alert to fire', async () => (await db.pool.query(`SELECT 1 FROM alerts WHERE organization_id = $1 AND state = 'firing'`, [s.t.organizationId])).rowCount === 1);
    await evaluate(s.t);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(http.requests.filter((r) => r.path.startsWith(`/${s.tag}/`))).toEqual([]);
    const d = await db.pool.query(`SELECT 1 FROM notification_deliveries WHERE organization_id = $1`, [s.t.organizationId]);
    expect(d.rowCount).toBe(0);
  });

  it('evaluates alerts when the streaming pipeline writes points, and notifies', async () => {
    const t = await createTestTenant(db);
    const model = await createModel(db, t);
    const actor = { organizationId: t.organizationId, userId: t.userId };
    const tdb = db.forTenant(t.organizationId);
    const hook = await createChannel(tdb, box, actor, t.teamId, { type: 'webhook', name: 'hook', url: `${http.url}/${t.tag}/pipeline` }, receivers);
    await setNotificationPolicy(tdb, actor, t.teamId, { groupWaitSeconds: 0 });
    await createAlertRule(tdb, actor, t.teamId, {
      name: 'Volume seen',
      metric: 'prediction_count',
      granularity: 'hour',
      condition: { op: '>', threshold: { kind: 'fixed', critical: 10 } },
      channels: [hook.channel.id],
    });
    // 50 events in the previous hour, then the ingest job the API enqueues after a commit.
    const at = new Date(Math.floor(Date.now() / HOUR) * HOUR - HOUR / 2);
    await insertEvents(db.pool, t, model, rows(50, 0, 1), at);
    const ingest = new Queue(QueueName.ingestWindow, { connection: connection.duplicate(), prefix });
    try {
      const job = { organizationId: t.organizationId, projectId: t.projectId, modelId: model.modelId, modelVersionId: model.versionId, minute: new Date(at.getTime() - (at.getTime() % 60_000)).toISOString() };
      await ingest.add(QueueName.ingestWindow, job, { jobId: JobId.ingestWindow(job) });
    } finally {
      await ingest.close();
    }
    const delivered = await until('the notification from the pipeline', () => http.ok(`/${t.tag}/pipeline`)[0]);
    const body = JSON.parse(delivered.body) as { status: string; alerts: { metric: string; value: number; model: { slug: string } }[] };
    expect(body.status).toBe('firing');
    expect(body.alerts).toEqual([expect.objectContaining({ metric: 'prediction_count', value: 50, model: expect.objectContaining({ slug: model.slug }) })]);
  });

  it('runs each evaluation the pipeline asks for, also after one has completed', async () => {
    const t = await createTestTenant(db);
    const model = await createModel(db, t);
    await createAlertRule(db.forTenant(t.organizationId), { organizationId: t.organizationId }, t.teamId, {
      name: 'Volume',
      metric: 'prediction_count',
      granularity: 'hour',
      condition: { op: '>', threshold: { kind: 'fixed', critical: 10 } },
    });
    const volume = (value: number) =>
      upsertMetricPoints(db.pool, [
        { organizationId: t.organizationId, projectId: t.projectId, modelId: model.modelId, modelVersionId: model.versionId, metric: 'prediction_count', granularity: 'hour', windowStart: new Date(Math.floor(Date.now() / HOUR) * HOUR - HOUR), value },
      ]);
    const enqueue = ((queue: QueueName, payload: unknown, jobId: string, opts: { delay?: number } = {}) => evaluations.add(queue, payload, { jobId, ...opts }).then(() => undefined)) as never;
    const state = async () => (await db.pool.query<{ state: string }>(`SELECT state FROM alerts WHERE organization_id = $1`, [t.organizationId])).rows[0]?.state;
    const now = Date.now();
    await volume(50);
    await requestAlertEvaluation({ enqueue }, t.organizationId, 'metrics-written', now);
    await until('the alert to fire', async () => (await state()) === 'firing');
    // The window is recomputed lower (late data) and the pipeline asks again a few seconds later.
    await volume(5);
    await requestAlertEvaluation({ enqueue }, t.organizationId, 'metrics-written', now + 6_000);
    await until('the alert to resolve', async () => (await state()) === 'resolved');
  });
});
