import { createTestTenant, type TestTenant } from '@vigil/db/testing';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApi } from '../test/support/api.js';
import { corrupted } from './fuzz-inputs.js';

/**
 * The management API (alerting, model settings, references) and the read API under random
 * malformed input: valid requests with a value anywhere inside them replaced, removed or
 * added, and random ids and query strings. Every answer is a 2xx or a 4xx that says what is
 * wrong (never a 5xx), and a refused request stores nothing. (Ingest has its own fuzz test.)
 */

const { api, db } = useTestApi();
let t: TestTenant;
let ruleId: string;
let channelId: string;
beforeAll(async () => {
  t = await createTestTenant(db);
  channelId = ((await call('POST', '/v1/channels', { type: 'email', name: 'Mail', to: ['ops@example.test'] })).body as { channel: { id: string } }).channel.id;
  ruleId = ((await call('POST', '/v1/alert-rules', rules[0])).body as { id: string }).id;
  // A model (registered by its first prediction) for the model-settings and reference routes.
  expect((await call('POST', '/v1/predictions', { predictions: [{ id: 'fz-1', model: 'fz-model', features: { amount: 1, country: 'DE' }, prediction: 1 }] })).status).toBe(200);
});

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${t.apiKey.secret}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
}

const rules: Record<string, unknown>[] = [
  { name: 'Low volume', metric: 'prediction_count', granularity: 'hour', condition: { op: '<', threshold: { kind: 'fixed', warning: 50, critical: 10 } } },
  { name: 'Drift', metric: 'drift_detected', column: { kind: 'one', name: 'amount' }, granularity: 'rolling_1h', condition: { threshold: { kind: 'drift_verdict' } }, for: 2 },
  { name: 'Band', metric: 'mean', column: { kind: 'any' }, granularity: 'day', condition: { op: 'outside_band', threshold: { kind: 'band', critical: { low: 0, high: 10 } } }, noData: 'alerting' },
  { name: 'Sigma', metric: 'f1', granularity: 'day', condition: { op: '<', threshold: { kind: 'stddev', k: { critical: 3 }, window: 14 } }, minLabelCoverage: 0.2 },
  { name: 'Change', metric: 'missing_share', granularity: 'hour', condition: { op: '>', threshold: { kind: 'percent_change', baseline: 'trailing_mean', window: 24, critical: 50 } }, keepFiringFor: 7200 },
];
const channels: Record<string, unknown>[] = [
  { type: 'webhook', name: 'Hook', url: 'https://hooks.example.test/a', signingSecret: 'a-signing-secret-123' },
  { type: 'slack', name: 'Slack', webhookUrl: 'https://hooks.slack.com/services/T0/B0/xyz' },
  { type: 'email', name: 'Mail', to: ['a@example.test', 'b@example.test'] },
  { type: 'pagerduty', name: 'PD', routingKey: 'R0123456789ABCDEF' },
];
const silences: Record<string, unknown>[] = [
  { matchers: [{ name: 'model', op: '=~', value: 'fraud.*' }], comment: 'deploy', durationMinutes: 30 },
  { matchers: [{ name: 'rule', op: '=', value: 'r1' }, { name: 'severity', op: '!=', value: 'warning' }], startsAt: new Date(Date.now() + 3_600_000).toISOString(), durationMinutes: 60 },
];
const modelSettings: Record<string, unknown>[] = [
  { name: 'Fuzz model', task: 'binary', segmentTags: ['country'], drift: { test: 'psi', threshold: 0.2, perKind: { categorical: { test: 'jensenshannon' } }, perColumn: { amount: { threshold: 0.1 } } } },
];
const references: Record<string, unknown>[] = [
  { source: 'range', name: 'Last week', from: new Date(Date.now() - 7 * 86_400_000).toISOString(), to: new Date().toISOString() },
  { source: 'trailing', days: 7 },
];
const policies: Record<string, unknown>[] = [{ groupBy: ['model', 'rule'], groupWaitSeconds: 10, groupIntervalSeconds: 60, repeatIntervalSeconds: 3600 }];

/** A whole body replaced: not even an object. */
const wholeBody = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(null, [], '', 0, 'x'));

async function counts() {
  const where = { organizationId: t.organizationId };
  const [rulesN, channelsN, silencesN] = await Promise.all([db.system.alertRule.count({ where }), db.system.notificationChannel.count({ where }), db.system.silence.count({ where })]);
  return { rules: rulesN, channels: channelsN, silences: silencesN };
}

function expectClearAnswer(r: { status: number; body: unknown }, what: string) {
  expect(r.status, `${what} → ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`).toBeLessThan(500);
  if (r.status >= 400) {
    const error = (r.body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    expect(typeof error?.code, what).toBe('string');
    expect(typeof error?.message, what).toBe('string');
    expect((error!.message as string).length, what).toBeGreaterThan(0);
  }
}

describe('the management and read API under random malformed input', () => {
  it('accepts every base body as it is (so the corruptions start from valid requests)', async () => {
    for (const body of rules) expect((await call('POST', '/v1/alert-rules', body)).status, JSON.stringify(body)).toBe(201);
    for (const body of channels) expect((await call('POST', '/v1/channels', body)).status, JSON.stringify(body)).toBe(201);
    for (const body of silences) expect((await call('POST', '/v1/silences', body)).status, JSON.stringify(body)).toBe(201);
    for (const body of policies) expect((await call('PUT', '/v1/notification-policy', body)).status).toBe(200);
    for (const body of modelSettings) expect((await call('PATCH', '/v1/models/fz-model', body)).status, JSON.stringify(body)).toBe(200);
    for (const body of references) expect((await call('POST', '/v1/models/fz-model/references', body)).status, JSON.stringify(body)).toBeLessThan(300);
  });

  it('answers every corrupted rule, channel, silence and policy with a 2xx or a 4xx, and stores nothing it refused', async () => {
    const before = await counts();
    const created = { rules: 0, channels: 0, silences: 0 };
    const requests = fc.oneof(
      corrupted(rules).map((body) => ({ method: 'POST', path: '/v1/alert-rules', body, kind: 'rules' as const })),
      corrupted(rules).map((body) => ({ method: 'PUT', path: `/v1/alert-rules/${ruleId}`, body, kind: null })),
      corrupted(rules.map((definition) => ({ definition, days: 2 }))).map((body) => ({ method: 'POST', path: '/v1/alert-rules/backtest', body, kind: null })),
      corrupted(channels).map((body) => ({ method: 'POST', path: '/v1/channels', body, kind: 'channels' as const })),
      corrupted([{ name: 'Renamed', enabled: false }]).map((body) => ({ method: 'PATCH', path: `/v1/channels/${channelId}`, body, kind: null })),
      corrupted(silences).map((body) => ({ method: 'POST', path: '/v1/silences', body, kind: 'silences' as const })),
      corrupted(policies).map((body) => ({ method: 'PUT', path: '/v1/notification-policy', body, kind: null })),
      corrupted(modelSettings).map((body) => ({ method: 'PATCH', path: '/v1/models/fz-model', body, kind: null })),
      corrupted(references).map((body) => ({ method: 'POST', path: '/v1/models/fz-model/references', body, kind: null })),
      fc
        .record({ body: wholeBody, route: fc.constantFrom('POST /v1/alert-rules', 'POST /v1/channels', 'POST /v1/silences', 'PUT /v1/notification-policy', 'POST /v1/alert-rules/backtest', 'PATCH /v1/models/fz-model', 'POST /v1/models/fz-model/references') })
        .map(({ body, route }) => {
          const [method, path] = route.split(' ') as [string, string];
          return { method, path, body, kind: null };
        }),
    );
    await fc.assert(
      fc.asyncProperty(requests, async (req) => {
        const r = await call(req.method, req.path, req.body);
        expectClearAnswer(r, `${req.method} ${req.path} ${JSON.stringify(req.body).slice(0, 300)}`);
        if (req.kind && r.status < 300) created[req.kind]++;
      }),
      { numRuns: 600 },
    );
    const after = await counts();
    expect(after).toEqual({ rules: before.rules + created.rules, channels: before.channels + created.channels, silences: before.silences + created.silences });
  });

  it('names the field of text Postgres cannot store, and answers a malformed URL in the same shape', async () => {
    const nul = await call('PATCH', `/v1/channels/${channelId}`, { name: 'a\u0000b' });
    expect(nul).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED', details: { errors: [{ path: 'name' }] } } } });
    const surrogate = await call('POST', '/v1/alert-rules', { ...rules[0], name: 'x\ud800' });
    expect(surrogate).toMatchObject({ status: 400, body: { error: { details: { errors: [{ path: 'name' }] } } } });
    const param = await call('GET', '/v1/alert-rules/%00');
    expect(param).toMatchObject({ status: 400, body: { error: { details: { errors: [{ path: 'ruleId' }] } } } });
    expect(await call('GET', '/v1/alert-rules/%%20')).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST' } } });
    expect(await call('GET', `/v1/alert-rules/${'r'.repeat(300)}`)).toMatchObject({ status: 400, body: { error: { details: { errors: [expect.anything()] } } } });
  });

  it('answers random ids and query strings with a 4xx, never a 5xx', async () => {
    const segment = fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.constantFrom('%00', '..', '%E0%A4%A', 'a'.repeat(500), '0', '-1'));
    await fc.assert(
      fc.asyncProperty(
        segment,
        fc.constantFrom('GET /v1/alert-rules/:id', 'PUT /v1/alert-rules/:id', 'DELETE /v1/alert-rules/:id', 'PATCH /v1/channels/:id', 'POST /v1/channels/:id/test', 'GET /v1/channels/:id/deliveries', 'DELETE /v1/silences/:id', 'POST /v1/alerts/:id/acknowledge', 'GET /v1/alerts?state=:id', 'GET /v1/alerts?limit=:id', 'GET /v1/silences?expired=:id', 'GET /v1/models/:id', 'GET /v1/models/:id/metrics?metric=drift_score', 'PATCH /v1/models/:id'),
        async (id, route) => {
          const [method, template] = route.split(' ') as [string, string];
          const path = template.replace(':id', template.includes('?') ? encodeURIComponent(id) : encodeURIComponent(id).replace(/%25/g, '%'));
          const body = method === 'PUT' ? rules[0] : method === 'PATCH' ? { enabled: true } : undefined;
          const r = await call(method, path, body);
          expectClearAnswer(r, `${method} ${path}`);
          if (!template.includes('?')) expect(r.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
        },
      ),
      { numRuns: 300 },
    );
  });
});
