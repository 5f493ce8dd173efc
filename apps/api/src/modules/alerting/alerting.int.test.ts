import { upsertMetricPoints } from '@vigil/db';
import { createTestTenant, type TestTenant } from '@vigil/db/testing';
import { describe, expect, it } from 'vitest';
import { useTestApi } from '../../../test/support/api.js';
import { makePrediction, post } from '../../../test/support/ingest.js';

const { api, db } = useTestApi({ WINDOW_GRACE_MS: '0' });

const HOUR = 3_600_000;

async function call<T = Record<string, unknown>>(t: TestTenant | string, method: string, path: string, body?: unknown) {
  const key = typeof t === 'string' ? t : t.apiKey.secret;
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as T };
}

const lowVolume = {
  name: 'Low volume',
  metric: 'prediction_count',
  granularity: 'hour',
  condition: { op: '<', threshold: { kind: 'fixed', warning: 50, critical: 10 } },
};

describe('alerting over REST', () => {
  it('manages channels, rules and silences with an admin key, and explains bad input by field', async () => {
    const t = await createTestTenant(db);
    const hook = await call<{ channel: { id: string; config: { host: string } }; signingSecret: string }>(t, 'POST', '/v1/channels', {
      type: 'webhook',
      name: 'On-call hook',
      url: 'https://hooks.example.test/vigil?token=abc',
    });
    expect(hook.status).toBe(201);
    expect(hook.body.signingSecret).toMatch(/^whsec_/);
    expect(hook.body.channel.config).toEqual({ host: 'hooks.example.test' });
    const listed = await call(t, 'GET', '/v1/channels');
    expect(JSON.stringify(listed.body)).not.toContain('token=abc');
    // At rest the URL (with its token) and the signing secret exist only sealed.
    const stored = await db.system.notificationChannel.findUniqueOrThrow({ where: { id: hook.body.channel.id } });
    expect(JSON.stringify(stored)).not.toContain('token=abc');
    expect(JSON.stringify(stored)).not.toContain(hook.body.signingSecret);
    expect(stored.secretEncrypted).toMatch(/^v2\./);
    expect((await call(t, 'POST', '/v1/channels', { type: 'webhook', name: 'x', url: 'ftp://nope' })).status).toBe(400);

    const bad = await call<{ error: { details: { errors: { path: string }[] } } }>(t, 'POST', '/v1/alert-rules', { ...lowVolume, condition: { threshold: { kind: 'fixed', critical: 1 } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.errors.map((e) => e.path)).toContain('condition.op');
    const milder = await call<{ error: { details: { errors: { path: string }[] } } }>(t, 'POST', '/v1/alert-rules', {
      ...lowVolume,
      condition: { op: '<', threshold: { kind: 'fixed', warning: 10, critical: 50 } },
    });
    expect(milder.body.error.details.errors.map((e) => e.path)).toContain('condition.threshold.critical');

    const created = await call<{ id: string; enabled: boolean }>(t, 'POST', '/v1/alert-rules', { ...lowVolume, channels: [hook.body.channel.id] });
    expect(created.status).toBe(201);
    const got = await call<{ definition: { noData: string; for: number; channels: string[] } }>(t, 'GET', `/v1/alert-rules/${created.body.id}`);
    expect(got.body.definition).toMatchObject({ noData: 'nodata', for: 0, channels: [hook.body.channel.id] });
    const disabled = await call<{ enabled: boolean }>(t, 'PUT', `/v1/alert-rules/${created.body.id}`, { ...lowVolume, enabled: false });
    expect(disabled.body.enabled).toBe(false);
    expect((await call<{ rules: unknown[] }>(t, 'GET', '/v1/alert-rules')).body.rules).toHaveLength(1);

    // Deleting a channel takes it out of the rules that used it.
    expect((await call(t, 'DELETE', `/v1/channels/${hook.body.channel.id}`)).status).toBe(200);
    expect((await call<{ definition: { channels: string[] } }>(t, 'GET', `/v1/alert-rules/${created.body.id}`)).body.definition.channels).toEqual([]);
    expect((await call(t, 'DELETE', `/v1/alert-rules/${created.body.id}`)).status).toBe(200);
    expect((await call(t, 'GET', `/v1/alert-rules/${created.body.id}`)).status).toBe(404);

    const silence = await call<{ id: string; active: boolean }>(t, 'POST', '/v1/silences', { matchers: [{ name: 'model', op: '=~', value: 'fraud.*' }], comment: 'deploy', durationMinutes: 30 });
    expect(silence.status).toBe(201);
    expect(silence.body.active).toBe(true);
    expect((await call(t, 'POST', '/v1/silences', { matchers: [{ name: 'model', op: '=~', value: '(' }], durationMinutes: 30 })).status).toBe(400);
    // A backreference compiles in V8 but not in the linear-time engine silences run on.
    const backtracking = await call(t, 'POST', '/v1/silences', { matchers: [{ name: 'model', op: '=', value: 'x' }, { name: 'column', op: '=~', value: '(a+)\\1' }], durationMinutes: 30 });
    expect(backtracking.status).toBe(400);
    expect(JSON.stringify(backtracking.body)).toContain('matchers.1.value');
    const expired = await call<{ active: boolean }>(t, 'DELETE', `/v1/silences/${silence.body.id}`);
    expect(expired.body.active).toBe(false);
    expect((await call<{ silences: unknown[] }>(t, 'GET', '/v1/silences')).body.silences).toEqual([]);
    expect((await call<{ silences: unknown[] }>(t, 'GET', '/v1/silences?expired=true')).body.silences).toHaveLength(1);

    const audit = await db.system.auditLog.findMany({ where: { organizationId: t.organizationId }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual([
      'channel.created',
      'alert_rule.created',
      'alert_rule.updated',
      'channel.deleted',
      'alert_rule.deleted',
      'silence.created',
      'silence.expired',
    ]);
    expect(audit.every((a) => a.actorApiKeyId === t.apiKey.id)).toBe(true);
  });

  it('backtests a draft rule over the stored points', async () => {
    const t = await createTestTenant(db);
    expect((await post(`${api.url}/v1/predictions`, { predictions: [makePrediction(1)] }, { key: t.apiKey.secret })).status).toBe(200);
    const model = await db.system.model.findFirstOrThrow({ where: { projectId: t.projectId } });
    const hour = Math.floor(Date.now() / HOUR) * HOUR;
    // Ten hours of volume, two of them low: one episode that fired and resolved.
    const counts = [100, 100, 100, 5, 5, 100, 100, 100, 100, 100];
    await upsertMetricPoints(
      db.pool,
      counts.map((value, i) => ({
        organizationId: t.organizationId,
        projectId: t.projectId,
        modelId: model.id,
        modelVersionId: null,
        metric: 'prediction_count',
        granularity: 'hour' as const,
        windowStart: new Date(hour - (counts.length - i) * HOUR),
        value,
      })),
    );
    const r = await call<{ days: number; windows: number; episodes: { firedAt: string; resolvedAt: string | null; peakSeverity: string }[] }>(t, 'POST', '/v1/alert-rules/backtest', {
      definition: lowVolume,
      days: 2,
    });
    expect(r.status).toBe(200);
    expect(r.body.windows).toBe(10);
    expect(r.body.episodes).toHaveLength(1);
    expect(r.body.episodes[0]).toMatchObject({ peakSeverity: 'critical' });
    expect(Date.parse(r.body.episodes[0]!.resolvedAt!)).toBeGreaterThan(Date.parse(r.body.episodes[0]!.firedAt));
  });

  it('lists and acknowledges alerts, queues a test notification, and refuses changes to a read-only key', async () => {
    const t = await createTestTenant(db);
    const readOnly = await createTestTenant(db, { scopes: ['read'] });
    const hook = await call<{ channel: { id: string } }>(t, 'POST', '/v1/channels', { type: 'pagerduty', name: 'PD', routingKey: 'R0123456789' });
    const rule = await call<{ id: string }>(t, 'POST', '/v1/alert-rules', lowVolume);
    const firing = await db.system.alert.create({
      data: { organizationId: t.organizationId, ruleId: rule.body.id, fingerprint: 'f1', labels: { model: 'm', version: '', column: '', segment: '' }, state: 'firing', severity: 'warning', startedAt: new Date() },
    });
    await db.system.alert.create({
      data: { organizationId: t.organizationId, ruleId: rule.body.id, fingerprint: 'f2', labels: { model: 'm', version: '', column: '', segment: '' }, state: 'resolved' },
    });
    const active = await call<{ alerts: { id: string; state: string; rule: { name: string } }[] }>(t, 'GET', '/v1/alerts');
    expect(active.body.alerts.map((a) => [a.id, a.state, a.rule.name])).toEqual([[firing.id, 'firing', 'Low volume']]);
    expect((await call<{ alerts: unknown[] }>(t, 'GET', '/v1/alerts?state=all')).body.alerts).toHaveLength(2);
    expect((await call(t, 'GET', '/v1/alerts?state=burning')).status).toBe(400);
    expect((await call(t, 'POST', `/v1/alerts/${firing.id}/acknowledge`)).status).toBe(200);
    const resolvedId = (await db.system.alert.findFirstOrThrow({ where: { fingerprint: 'f2', ruleId: rule.body.id } })).id;
    expect((await call(t, 'POST', `/v1/alerts/${resolvedId}/acknowledge`)).status).toBe(409);

    const test = await call<{ deliveryId: string }>(t, 'POST', `/v1/channels/${hook.body.channel.id}/test`);
    expect(test.status).toBe(202);
    const deliveries = await call<{ deliveries: { id: string; kind: string; status: string }[] }>(t, 'GET', `/v1/channels/${hook.body.channel.id}/deliveries`);
    expect(deliveries.body.deliveries).toEqual([expect.objectContaining({ id: test.body.deliveryId, kind: 'test', status: 'pending' })]);

    expect((await call(readOnly, 'GET', '/v1/alert-rules')).status).toBe(200);
    expect((await call(readOnly, 'POST', '/v1/alert-rules', lowVolume)).status).toBe(403);
    expect((await call(readOnly, 'PUT', '/v1/notification-policy', {})).status).toBe(403);
    const policy = await call<{ groupBy: string[]; repeatIntervalSeconds: number }>(t, 'PUT', '/v1/notification-policy', { groupBy: ['model', 'rule'], repeatIntervalSeconds: 3600 });
    expect(policy.body).toMatchObject({ groupBy: ['model', 'rule'], repeatIntervalSeconds: 3600, groupWaitSeconds: 30 });
    expect((await call(t, 'PUT', '/v1/notification-policy', { groupBy: ['colour'] })).status).toBe(400);
  });
});
