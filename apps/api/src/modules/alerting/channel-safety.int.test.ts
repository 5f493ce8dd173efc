import { createTestTenant, type TestTenant } from '@vigil/db/testing';
import { describe, expect, it } from 'vitest';
import { useTestApi, type RunningApi } from '../../../test/support/api.js';

interface Answer<T> {
  status: number;
  headers: Headers;
  body: T;
}
type ErrorBody = { error: { code: string; message: string; details?: { errors?: { path: string; message: string }[]; retryAfterSeconds?: number } } };

async function call<T = ErrorBody>(api: RunningApi, t: TestTenant, method: string, path: string, body?: unknown): Promise<Answer<T>> {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${t.apiKey.secret}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as T };
}

const INTERNAL = [
  'http://127.0.0.1:6379/',
  'http://127.1/',
  'http://2130706433/',
  'http://0x7f000001/',
  'http://[::1]/',
  'http://[::ffff:127.0.0.1]/',
  'http://localhost:4000/v1/openapi.json',
  'http://LOCALHOST./',
  'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
  'http://metadata.google.internal/computeMetadata/v1/',
  'http://10.0.0.5/hook',
  'http://100.64.1.1/hook',
  'http://0.0.0.0:4000/',
];

describe('notification channels over REST', () => {
  const { api, db } = useTestApi();

  it('refuses webhook and Slack receivers on internal hosts with a 400 naming the field', async () => {
    const t = await createTestTenant(db);
    for (const url of INTERNAL) {
      const hook = await call(api, t, 'POST', '/v1/channels', { type: 'webhook', name: 'hook', url });
      expect({ url, status: hook.status, paths: hook.body.error.details?.errors?.map((e) => e.path) }).toEqual({ url, status: 400, paths: ['url'] });
      const slack = await call(api, t, 'POST', '/v1/channels', { type: 'slack', name: 'slack', webhookUrl: url });
      expect({ url, status: slack.status, paths: slack.body.error.details?.errors?.map((e) => e.path) }).toEqual({ url, status: 400, paths: ['webhookUrl'] });
    }
    const metadata = await call(api, t, 'POST', '/v1/channels', { type: 'webhook', name: 'hook', url: 'http://169.254.169.254/latest/' });
    expect(metadata.body.error.details?.errors?.[0]?.message).toMatch(/link-local.*VIGIL_NOTIFICATION_ALLOW_HOSTS/);
    expect(await db.system.notificationChannel.count({ where: { organizationId: t.organizationId } })).toBe(0);
    expect((await call(api, t, 'POST', '/v1/channels', { type: 'webhook', name: 'public', url: 'https://hooks.example.com/vigil' })).status).toBe(201);
  });

  it('lets no update change where a channel sends', async () => {
    const t = await createTestTenant(db);
    const created = await call<{ channel: { id: string } }>(api, t, 'POST', '/v1/channels', { type: 'webhook', name: 'hook', url: 'https://hooks.example.com/a' });
    const moved = await call(api, t, 'PATCH', `/v1/channels/${created.body.channel.id}`, { url: 'http://169.254.169.254/' });
    expect(moved.status).toBe(400);
  });

  it('sends one test notification per channel every 10 s: the next is a 429 with Retry-After', async () => {
    const t = await createTestTenant(db);
    const created = await call<{ channel: { id: string } }>(api, t, 'POST', '/v1/channels', { type: 'webhook', name: 'hook', url: 'https://hooks.example.com/a' });
    const other = await call<{ channel: { id: string } }>(api, t, 'POST', '/v1/channels', { type: 'webhook', name: 'other', url: 'https://hooks.example.com/b' });
    const path = `/v1/channels/${created.body.channel.id}/test`;
    expect((await call(api, t, 'POST', path)).status).toBe(202);
    const again = await Promise.all([call(api, t, 'POST', path), call(api, t, 'POST', path), call(api, t, 'POST', path)]);
    for (const r of again) {
      expect(r.status).toBe(429);
      expect(r.body.error.code).toBe('RATE_LIMITED');
      expect(r.body.error.message).toMatch(/one test notification per channel every 10 s/);
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(r.headers.get('retry-after'))).toBeLessThanOrEqual(10);
    }
    // The cooldown is per channel.
    expect((await call(api, t, 'POST', `/v1/channels/${other.body.channel.id}/test`)).status).toBe(202);
    expect(await db.system.notificationDelivery.count({ where: { channelId: created.body.channel.id, kind: 'test' } })).toBe(1);
    // Once it has passed, the channel can be tested again.
    await db.system.notificationChannel.update({ where: { id: created.body.channel.id }, data: { lastTestAt: new Date(Date.now() - 10_001) } });
    expect((await call(api, t, 'POST', path)).status).toBe(202);
  });

  it("never shows a receiver's answer stored by an earlier worker", async () => {
    const t = await createTestTenant(db);
    const created = await call<{ channel: { id: string } }>(api, t, 'POST', '/v1/channels', { type: 'webhook', name: 'hook', url: 'https://hooks.example.com/a' });
    const leaked = 'HTTP 500: {"Code":"Success","AccessKeyId":"ASIAEXAMPLE","SecretAccessKey":"wJalr"}';
    const d = await db.system.notificationDelivery.create({
      data: { organizationId: t.organizationId, teamId: t.teamId, channelId: created.body.channel.id, groupKey: 'test', kind: 'test', payload: {}, status: 'failed', attempts: 1, lastError: leaked },
    });
    await db.system.notificationAttempt.create({ data: { organizationId: t.organizationId, deliveryId: d.id, attempt: 1, statusCode: 500, error: leaked, durationMs: 3 } });
    const shown = await call<{ deliveries: { lastError: string; attempts: { error: string }[] }[] }>(api, t, 'GET', `/v1/channels/${created.body.channel.id}/deliveries`);
    expect(shown.status).toBe(200);
    expect(shown.body.deliveries[0]).toMatchObject({ lastError: 'receiver answered 500', attempts: [{ error: 'receiver answered 500' }] });
    expect(JSON.stringify(shown.body)).not.toMatch(/AccessKeyId|wJalr/);
  });
});

describe('notification channels over REST, with internal receivers allowed by the operator', () => {
  const { api, db } = useTestApi({ VIGIL_NOTIFICATION_ALLOW_HOSTS: 'hooks.internal,10.1.0.0/16' });

  it('accepts the names and ranges VIGIL_NOTIFICATION_ALLOW_HOSTS lists, and no other internal host', async () => {
    const t = await createTestTenant(db);
    expect((await call(api, t, 'POST', '/v1/channels', { type: 'webhook', name: 'by name', url: 'http://hooks.internal/vigil' })).status).toBe(201);
    expect((await call(api, t, 'POST', '/v1/channels', { type: 'slack', name: 'by range', webhookUrl: 'http://10.1.4.2:8080/slack' })).status).toBe(201);
    expect((await call(api, t, 'POST', '/v1/channels', { type: 'webhook', name: 'outside', url: 'http://10.2.0.1/' })).status).toBe(400);
    expect((await call(api, t, 'POST', '/v1/channels', { type: 'webhook', name: 'metadata', url: 'http://169.254.169.254/' })).status).toBe(400);
  });
});
