import { createTestTenant } from '@vigil/db/testing';
import { describe, expect, it } from 'vitest';
import { useTestApi } from '../../../test/support/api.js';
import { promtoolCheck } from '../../../test/support/promtool.js';

const ctx = useTestApi();
const db = ctx.db;

describe('GET /metrics', () => {
  it('exports ingest counts, request latencies by route and queue depths in Prometheus text format', async () => {
    const t = await createTestTenant(db);
    const res = await fetch(`${ctx.api.url}/v1/predictions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.apiKey.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ predictions: [{ id: 'a', model: 'm', features: { x: 1 }, prediction: 1 }, { id: 'b', model: 'm', features: { x: 'no' }, prediction: 1, extra: 1 }] }),
    });
    expect(res.status).toBe(207);
    const scrape = await fetch(`${ctx.api.url}/metrics`);
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get('content-type')).toContain('text/plain');
    const text = await scrape.text();
    expect(text).toMatch(/vigil_ingest_items_total\{kind="prediction",outcome="accepted"\} [1-9]/);
    expect(text).toMatch(/vigil_ingest_items_total\{kind="prediction",outcome="rejected"\} [1-9]/);
    expect(text).toMatch(/vigil_http_request_duration_seconds_count\{method="POST",route="\/v1\/predictions",status="207"\} [1-9]/);
    expect(text).toMatch(/vigil_queue_jobs\{queue="\{vigil\}-ingest-window",state="failed"\} \d+/);
    expect(text).not.toContain(t.organizationId);
    expect(promtoolCheck(text)).toBe('');
  });

  it('exports alert instances by state and stuck or failed notification deliveries, counted across workspaces', async () => {
    const gauge = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
    const before = await (await fetch(`${ctx.api.url}/metrics`)).text();
    const t = await createTestTenant(db);
    const rule = await db.system.alertRule.create({ data: { organizationId: t.organizationId, teamId: t.teamId, name: 'r', definition: {} } });
    await db.system.alert.create({
      data: { organizationId: t.organizationId, ruleId: rule.id, fingerprint: 'metrics-test', labels: {}, state: 'firing', severity: 'critical', startedAt: new Date() },
    });
    const channel = await db.system.notificationChannel.create({ data: { organizationId: t.organizationId, teamId: t.teamId, type: 'email', name: 'm', config: {}, secretEncrypted: 'x' } });
    const delivery = (status: string, createdAt: Date) => ({ organizationId: t.organizationId, channelId: channel.id, teamId: t.teamId, groupKey: 'g', kind: 'firing', status, payload: {}, createdAt });
    await db.system.notificationDelivery.createMany({ data: [delivery('pending', new Date(Date.now() - 3_600_000)), delivery('failed', new Date()), delivery('failed', new Date())] });

    const text = await (await fetch(`${ctx.api.url}/metrics`)).text();
    expect(gauge(text, 'vigil_alerts\\{state="firing"\\}')).toBe(gauge(before, 'vigil_alerts\\{state="firing"\\}') + 1);
    expect(gauge(text, 'vigil_notification_deliveries_pending')).toBeGreaterThanOrEqual(1);
    expect(gauge(text, 'vigil_notification_oldest_pending_seconds')).toBeGreaterThanOrEqual(3_590);
    expect(gauge(text, 'vigil_notification_deliveries_failed_24h')).toBe(gauge(before, 'vigil_notification_deliveries_failed_24h') + 2);
    expect(text).not.toContain(t.organizationId);
  });
});
