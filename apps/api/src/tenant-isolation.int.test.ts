import { randomBytes } from 'node:crypto';
import { NO_INTERNAL_RECEIVERS } from '@vigil/contracts';
import { createAlertRule, createChannel, createSilence, DEVELOPMENT_SECRET_KEY, generateApiKey, SecretBox, setNotificationPolicy, upsertMetricPoints } from '@vigil/db';
import { createTestTenant, type TestTenant } from '@vigil/db/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApi } from '../test/support/api.js';
import { makePrediction, post } from '../test/support/ingest.js';
import { servedRoutes } from '../test/support/routes.js';

/**
 * Tenant isolation for every route of the API. Project A (of workspace A) holds a model with
 * events, labels, a reference and metric points. The attackers are a key of another workspace
 * (B) and a key of another project in A's own workspace (C). Each route is called with their
 * keys, naming A's model by slug and by id, and must neither reveal nor change anything of A.
 * A route without a case here fails the first test.
 */

const { api, db } = useTestApi();

interface Fixture {
  a: TestTenant;
  alerting: { ruleId: string; channelId: string; silenceId: string; alertId: string };
  /** A's model: slug (unique to A) and id. */
  slug: string;
  modelId: string;
  attackers: { name: string; key: string; organizationId: string; projectId: string }[];
}
let f: Fixture;

async function request(method: string, path: string, key: string | undefined, body?: unknown, contentType = 'application/json') {
  const headers: Record<string, string> = {};
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = contentType;
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, text };
}

/** Everything of A's project the routes could change, as one comparable value. */
async function stateOfA() {
  const q = async (sql: string) => (await db.pool.query(sql, [f.a.projectId])).rows;
  return {
    models: await q(`SELECT id, slug, name, task, segment_tags, drift_config FROM models WHERE project_id = $1 ORDER BY id`),
    columns: await q(`SELECT model_id, role, name, kind, type_mismatch_count FROM model_columns WHERE project_id = $1 ORDER BY 1, 2, 3`),
    events: await q(`SELECT client_id, label FROM vigil_prediction_events WHERE project_id = $1 ORDER BY client_id`),
    labels: await q(`SELECT prediction_id, label FROM prediction_label WHERE project_id = $1 ORDER BY 1`),
    references: await q(`SELECT id, name, status FROM reference_datasets WHERE project_id = $1 ORDER BY id`),
    points: await q(`SELECT metric, value FROM metric_point WHERE project_id = $1 ORDER BY 1`),
    ...(await alertingOfA()),
  };
}

/** A's team's alerting configuration and alerts. */
async function alertingOfA() {
  const q = async (sql: string) => (await db.pool.query(sql, [f.a.teamId])).rows;
  return {
    rules: await q(`SELECT id, name, enabled, definition FROM alert_rules WHERE team_id = $1 ORDER BY id`),
    channels: await q(`SELECT id, name, enabled, config, secret_encrypted FROM notification_channels WHERE team_id = $1 ORDER BY id`),
    silences: await q(`SELECT id, matchers, starts_at, ends_at FROM silences WHERE team_id = $1 ORDER BY id`),
    alerts: await q(`SELECT a.id, a.state, a.acknowledged_at FROM alerts a JOIN alert_rules r ON r.id = a.rule_id WHERE r.team_id = $1 ORDER BY a.id`),
    policy: await q(`SELECT notification_policy FROM teams WHERE id = $1`),
    deliveries: await q(`SELECT count(*)::int AS n FROM notification_deliveries WHERE team_id = $1`),
  };
}

const noneOfA = (text: string) => {
  for (const id of Object.values(f.alerting)) expect(text).not.toContain(id);
};

type Check = (attacker: Fixture['attackers'][number]) => Promise<void>;

const cases: Record<string, Check> = {
  'POST /v1/predictions': async (x) => {
    const ids = ['p-1', 'p-2', 'x-9'];
    const res = await post(`${api.url}/v1/predictions`, { predictions: ids.map((id, i) => ({ ...makePrediction(i), id, model: f.slug })) }, { key: x.key });
    expect(res.status).toBe(200);
    // Same slug and ids as A's: they land in the attacker's own project, as new events.
    expect(res.body).toMatchObject({ accepted: 3, duplicates: 0 });
    const mine = await db.pool.query(`SELECT DISTINCT organization_id, project_id FROM vigil_prediction_events WHERE project_id = $1`, [x.projectId]);
    expect(mine.rows).toEqual([{ organization_id: x.organizationId, project_id: x.projectId }]);
  },
  'POST /v1/labels': async (x) => {
    const res = await post(`${api.url}/v1/labels`, { labels: [{ predictionId: 'p-3', label: 1 }, { predictionId: 'p-4', label: 0 }] }, { key: x.key });
    expect(res.status).toBe(200);
    const theirs = await db.pool.query(`SELECT organization_id, model_version_id FROM prediction_label WHERE project_id = $1 AND prediction_id IN ('p-3', 'p-4')`, [x.projectId]);
    // Stored for the attacker's project, matched to none of A's predictions.
    expect(theirs.rows).toEqual([
      { organization_id: x.organizationId, model_version_id: null },
      { organization_id: x.organizationId, model_version_id: null },
    ]);
  },
  'POST /v1/models/:model/reference': async (x) => {
    const res = await request('POST', `/v1/models/${f.slug}/reference`, x.key, 'amount,age\n1,2\n3,4\n', 'text/csv');
    expect(res.status).toBe(201);
    const ds = await db.pool.query(`SELECT d.organization_id, m.project_id FROM reference_datasets d JOIN models m ON m.id = d.model_id WHERE d.id = $1`, [
      JSON.parse(res.text).id,
    ]);
    expect(ds.rows).toEqual([{ organization_id: x.organizationId, project_id: x.projectId }]);
  },
  'POST /v1/models/:model/references': async (x) => {
    const byId = await request('POST', `/v1/models/${f.modelId}/references`, x.key, { source: 'trailing', days: 7 });
    expect([400, 404]).toContain(byId.status);
    // By slug: the attacker's own model of that name (made by an earlier case), or none.
    const bySlug = await request('POST', `/v1/models/${f.slug}/references`, x.key, { source: 'trailing', days: 7 });
    if (bySlug.status === 202) {
      const ds = await db.pool.query(`SELECT d.organization_id, m.project_id FROM reference_datasets d JOIN models m ON m.id = d.model_id WHERE d.id = $1`, [
        (JSON.parse(bySlug.text) as { id: string }).id,
      ]);
      expect(ds.rows).toEqual([{ organization_id: x.organizationId, project_id: x.projectId }]);
    } else expect(bySlug.status).toBe(404);
  },
  'GET /v1/models': async (x) => {
    const res = await request('GET', '/v1/models', x.key);
    expect(res.status).toBe(200);
    const slugs = (JSON.parse(res.text) as { models: { slug: string }[] }).models.map((m) => m.slug);
    // Only what the attacker wrote itself (other cases may have made a same-named model).
    const own = await db.pool.query<{ slug: string }>(`SELECT slug FROM models WHERE project_id = $1 ORDER BY slug`, [x.projectId]);
    expect(slugs).toEqual(own.rows.map((r) => r.slug));
    expect(res.text).not.toContain(f.modelId);
  },
  'GET /v1/models/:model': async (x) => {
    const bySlug = await request('GET', `/v1/models/${f.slug}`, x.key);
    // The attacker may have a model of that slug by now; A's is never the one it sees.
    if (bySlug.status === 200) expect(bySlug.text).not.toContain(f.a.projectId);
    else expect(bySlug.status).toBe(404);
    expect([400, 404]).toContain((await request('GET', `/v1/models/${f.modelId}`, x.key)).status);
  },
  'GET /v1/models/:model/metrics': async (x) => {
    const res = await request('GET', `/v1/models/${f.slug}/metrics?granularity=hour`, x.key);
    if (res.status === 200) expect((JSON.parse(res.text) as { points: unknown[] }).points).toEqual([]);
    else expect(res.status).toBe(404);
    expect([400, 404]).toContain((await request('GET', `/v1/models/${f.modelId}/metrics?granularity=hour`, x.key)).status);
  },
  'PATCH /v1/models/:model': async (x) => {
    const res = await request('PATCH', `/v1/models/${f.modelId}`, x.key, { name: 'taken over', segmentTags: ['country'] });
    expect([400, 404]).toContain(res.status);
    const bySlug = await request('PATCH', `/v1/models/${f.slug}`, x.key, { name: 'taken over' });
    // A model of that slug in the attacker's project may be renamed; A's never is (see the state check).
    expect([200, 404]).toContain(bySlug.status);
  },
  'GET /v1/alerts': async (x) => {
    const res = await request('GET', '/v1/alerts?state=all', x.key);
    expect(res.status).toBe(200);
    noneOfA(res.text);
  },
  'POST /v1/alerts/:alertId/acknowledge': async (x) => {
    expect((await request('POST', `/v1/alerts/${f.alerting.alertId}/acknowledge`, x.key)).status).toBe(404);
  },
  'GET /v1/alert-rules': async (x) => {
    const res = await request('GET', '/v1/alert-rules', x.key);
    expect(res.status).toBe(200);
    noneOfA(res.text);
  },
  'POST /v1/alert-rules': async (x) => {
    const base = { name: 'mine', metric: 'prediction_count', granularity: 'hour', condition: { op: '<', threshold: { kind: 'fixed', critical: 1 } } };
    const withChannel = await request('POST', '/v1/alert-rules', x.key, { ...base, channels: [f.alerting.channelId] });
    expect(withChannel.status).toBe(400);
    expect(withChannel.text).toContain('channels.0');
    const withModel = await request('POST', '/v1/alert-rules', x.key, { ...base, scope: { modelIds: [f.modelId] } });
    expect(withModel.status).toBe(400);
    expect(withModel.text).toContain('scope.modelIds.0');
    const own = await request('POST', '/v1/alert-rules', x.key, base);
    expect(own.status).toBe(201);
    const team = await db.pool.query(`SELECT p.team_id FROM projects p WHERE p.id = $1`, [x.projectId]);
    expect((JSON.parse(own.text) as { teamId: string }).teamId).toBe(team.rows[0].team_id);
  },
  'POST /v1/alert-rules/backtest': async (x) => {
    const definition = { name: 'peek', metric: 'prediction_count', granularity: 'hour', condition: { op: '<', threshold: { kind: 'fixed', critical: 100 } }, scope: { modelIds: [f.modelId] } };
    expect((await request('POST', '/v1/alert-rules/backtest', x.key, { definition })).status).toBe(400);
    const own = await request('POST', '/v1/alert-rules/backtest', x.key, { definition: { ...definition, scope: {} } });
    expect(own.status).toBe(200);
    // A's metric points (prediction_count 3 in the current hour) never reach another team's backtest.
    expect((JSON.parse(own.text) as { windows: number }).windows).toBe(0);
  },
  'GET /v1/alert-rules/:ruleId': async (x) => {
    expect((await request('GET', `/v1/alert-rules/${f.alerting.ruleId}`, x.key)).status).toBe(404);
  },
  'PUT /v1/alert-rules/:ruleId': async (x) => {
    const res = await request('PUT', `/v1/alert-rules/${f.alerting.ruleId}`, x.key, { name: 'taken', metric: 'prediction_count', granularity: 'hour', condition: { op: '<', threshold: { kind: 'fixed', critical: 1 } } });
    expect(res.status).toBe(404);
  },
  'DELETE /v1/alert-rules/:ruleId': async (x) => {
    expect((await request('DELETE', `/v1/alert-rules/${f.alerting.ruleId}`, x.key)).status).toBe(404);
  },
  'GET /v1/channels': async (x) => {
    const res = await request('GET', '/v1/channels', x.key);
    expect(res.status).toBe(200);
    noneOfA(res.text);
    expect(res.text).not.toContain('hooks.example.test');
  },
  'POST /v1/channels': async (x) => {
    const res = await request('POST', '/v1/channels', x.key, { type: 'slack', name: 'mine', webhookUrl: 'https://hooks.example.test/mine' });
    expect(res.status).toBe(201);
    expect(res.text).not.toContain('hooks.example.test/mine');
  },
  'PATCH /v1/channels/:channelId': async (x) => {
    expect((await request('PATCH', `/v1/channels/${f.alerting.channelId}`, x.key, { enabled: false })).status).toBe(404);
  },
  'DELETE /v1/channels/:channelId': async (x) => {
    expect((await request('DELETE', `/v1/channels/${f.alerting.channelId}`, x.key)).status).toBe(404);
  },
  'POST /v1/channels/:channelId/test': async (x) => {
    expect((await request('POST', `/v1/channels/${f.alerting.channelId}/test`, x.key)).status).toBe(404);
  },
  'GET /v1/channels/:channelId/deliveries': async (x) => {
    expect((await request('GET', `/v1/channels/${f.alerting.channelId}/deliveries`, x.key)).status).toBe(404);
  },
  'GET /v1/silences': async (x) => {
    const res = await request('GET', '/v1/silences?expired=true', x.key);
    expect(res.status).toBe(200);
    noneOfA(res.text);
  },
  'POST /v1/silences': async (x) => {
    const res = await request('POST', '/v1/silences', x.key, { matchers: [{ name: 'model', op: '=', value: f.modelId }], durationMinutes: 5 });
    // Allowed, and harmless: a silence only ever mutes alerts of the team that owns it.
    expect(res.status).toBe(201);
    const team = await db.pool.query(`SELECT team_id FROM silences WHERE id = $1`, [(JSON.parse(res.text) as { id: string }).id]);
    expect(team.rows[0].team_id).not.toBe(f.a.teamId);
  },
  'DELETE /v1/silences/:silenceId': async (x) => {
    expect((await request('DELETE', `/v1/silences/${f.alerting.silenceId}`, x.key)).status).toBe(404);
  },
  'GET /v1/notification-policy': async (x) => {
    const res = await request('GET', '/v1/notification-policy', x.key);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).not.toMatchObject({ groupIntervalSeconds: 77 });
  },
  'PUT /v1/notification-policy': async (x) => {
    expect((await request('PUT', '/v1/notification-policy', x.key, { groupWaitSeconds: 1 })).status).toBe(200);
  },
  // The workspace BI login: B's key acts on B's workspace only (bi-access.int.test.ts); neither
  // attacker key was created by a workspace owner or admin, so neither manages any BI login.
  'GET /v1/bi-access': async (x) => {
    expect((await request('GET', '/v1/bi-access', x.key)).status).toBe(403);
  },
  'POST /v1/bi-access': async (x) => {
    expect((await request('POST', '/v1/bi-access', x.key)).status).toBe(403);
    expect((await db.pool.query('SELECT 1 FROM bi_logins WHERE organization_id = $1', [f.a.organizationId])).rowCount).toBe(0);
  },
  'DELETE /v1/bi-access': async (x) => {
    expect((await request('DELETE', '/v1/bi-access', x.key)).status).toBe(403);
  },
  // Routes without tenant data: they must not show any of it.
  'GET /metrics': async () => {
    const res = await request('GET', '/metrics', undefined);
    expect(res.status).toBe(200);
    for (const secret of [f.a.projectId, f.a.organizationId, f.slug, f.modelId]) expect(res.text).not.toContain(secret);
  },
  'GET /healthz': async () => {
    const res = await request('GET', '/healthz', undefined);
    expect(res.text).not.toContain(f.a.projectId);
  },
  'GET /readyz': async () => {
    const res = await request('GET', '/readyz', undefined);
    expect(res.text).not.toContain(f.a.projectId);
  },
  'GET /v1/openapi.json': async () => {
    const res = await request('GET', '/v1/openapi.json', undefined);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain(f.slug);
  },
};

beforeAll(async () => {
  const a = await createTestTenant(db);
  const b = await createTestTenant(db);
  // C: another team's project in A's own workspace, with a key of its own.
  const teamC = await db.system.team.create({ data: { organizationId: a.organizationId, name: 'C', slug: `team-c-${a.tag}` } });
  const projectC = await db.system.project.create({ data: { organizationId: a.organizationId, teamId: teamC.id, name: 'C', slug: `c-${a.tag}` } });
  const keyC = generateApiKey();
  await db.system.apiKey.create({
    data: { organizationId: a.organizationId, projectId: projectC.id, name: 'c', prefix: keyC.prefix, hash: keyC.hash, scopes: ['ingest', 'read', 'admin'] },
  });
  const slug = `iso-${randomBytes(3).toString('hex')}`;
  const ingest = await post(`${api.url}/v1/predictions`, { predictions: [1, 2, 3].map((i) => makePrediction(i, { model: slug })) }, { key: a.apiKey.secret });
  expect(ingest.status).toBe(200);
  expect((await post(`${api.url}/v1/labels`, { labels: [{ predictionId: 'p-1', label: 1 }] }, { key: a.apiKey.secret })).status).toBe(200);
  expect((await request('POST', `/v1/models/${slug}/reference`, a.apiKey.secret, 'amount,age\n5,6\n', 'text/csv')).status).toBe(201);
  const model = await db.system.model.findFirstOrThrow({ where: { projectId: a.projectId, slug } });
  await upsertMetricPoints(db.pool, [
    { organizationId: a.organizationId, projectId: a.projectId, modelId: model.id, modelVersionId: null, metric: 'prediction_count', granularity: 'hour', windowStart: new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000), value: 3 },
  ]);
  // A's alerting: a channel, a rule using it, a silence, a firing alert, a policy of its own.
  const actorA = { organizationId: a.organizationId, userId: a.userId };
  const ta = db.forTenant(a.organizationId);
  const channel = await createChannel(ta, new SecretBox(DEVELOPMENT_SECRET_KEY), actorA, a.teamId, { type: 'webhook', name: 'A hook', url: 'https://hooks.example.test/a' }, NO_INTERNAL_RECEIVERS);
  const rule = await createAlertRule(ta, actorA, a.teamId, {
    name: 'A rule',
    metric: 'prediction_count',
    granularity: 'hour',
    condition: { op: '<', threshold: { kind: 'fixed', critical: 1 } },
    channels: [channel.channel.id],
  });
  const silence = await createSilence(ta, actorA, a.teamId, { matchers: [{ name: 'model', op: '=', value: model.id }], comment: 'A', durationMinutes: 60 });
  const alert = await db.system.alert.create({
    data: { organizationId: a.organizationId, ruleId: rule.id, fingerprint: `fp-${a.tag}`, labels: { model: model.id, version: '', column: '', segment: '' }, state: 'firing', severity: 'critical', modelId: model.id, projectId: a.projectId },
  });
  await setNotificationPolicy(ta, actorA, a.teamId, { groupWaitSeconds: 7, groupIntervalSeconds: 77 });
  f = {
    a,
    slug,
    modelId: model.id,
    alerting: { ruleId: rule.id, channelId: channel.channel.id, silenceId: silence.id, alertId: alert.id },
    attackers: [
      { name: 'another workspace', key: b.apiKey.secret, organizationId: b.organizationId, projectId: b.projectId },
      { name: 'another project of the same workspace', key: keyC.secret, organizationId: a.organizationId, projectId: projectC.id },
    ],
  };
});

describe('tenant isolation of every API route', () => {
  it('has a case for every route the API serves', async () => {
    const served = (await servedRoutes(api)).filter((r) => !r.includes('/docs'));
    expect(served.length).toBeGreaterThan(10);
    expect(served.filter((r) => !(r in cases))).toEqual([]);
  });

  for (const [route, check] of Object.entries(cases)) {
    it(`${route} neither shows nor changes another tenant's data`, async () => {
      const before = await stateOfA();
      expect(before.events).toHaveLength(3);
      for (const attacker of f.attackers) await check(attacker);
      expect(await stateOfA()).toEqual(before);
    });
  }

  it('serves the interactive docs without any tenant data', async () => {
    const res = await request('GET', '/docs/json', undefined);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain(f.a.projectId);
  });
});
