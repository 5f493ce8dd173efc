import { createTestTenant, type TestTenant } from '@vigil/db/testing';
import { describe, expect, it } from 'vitest';
import { useTestApi, type RunningApi } from '../../../test/support/api.js';

interface Answer<T> {
  status: number;
  headers: Headers;
  body: T;
}
type ErrorBody = { error: { code: string; message: string; details?: { errors?: { path: string; message: string }[] } } };

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
