import { beforeAll, describe, expect, it } from 'vitest';
import { POST } from '~/app/api/trpc/[trpc]/route';
import { getDb } from '~/server/db';
import { signUp, type TestUser } from '../../../test/support/sessions';

/** Channels the web app creates and tests: receivers on internal hosts, and the "send test" cooldown. */

let owner: TestUser;
let orgId: string;
let teamId: string;

beforeAll(async () => {
  owner = await signUp('channel-safety');
  orgId = (await owner.caller.workspace.create({ name: 'Channel safety' })).id;
  teamId = (await owner.caller.team.list())[0]!.id;
});

async function post(path: string, input: unknown) {
  const req = new Request(`http://localhost:3000/api/trpc/${path}`, {
    method: 'POST',
    headers: { cookie: owner.cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ json: input }),
  });
  const res = await POST(req);
  return { status: res.status, body: (await res.json()) as { error?: { json: { message: string; data: { code: string; fieldErrors: { path: string; message: string }[] | null } } } } };
}

describe('channel receivers', () => {
  it.each([
    ['webhook', 'url', 'http://169.254.169.254/latest/meta-data/'],
    ['webhook', 'url', 'http://2130706433:6379/'],
    ['webhook', 'url', 'http://metadata.google.internal./computeMetadata/v1/'],
    ['slack', 'webhookUrl', 'http://LOCALHOST:3000/api/trpc'],
    ['slack', 'webhookUrl', 'http://192.168.0.1/'],
  ])('refuses a %s channel on an internal host at the form field channel.%s (%s)', async (type, field, url) => {
    const { status, body } = await post('channel.create', { teamId, channel: { type, name: `internal ${type}`, [field]: url } });
    expect(status).toBe(400);
    expect(body.error!.json.data.fieldErrors).toEqual([{ path: `channel.${field}`, message: expect.stringContaining('public addresses only') }]);
    expect(await getDb().system.notificationChannel.count({ where: { organizationId: orgId, name: `internal ${type}` } })).toBe(0);
  });

  it('creates a channel on a public receiver', async () => {
    const { channel } = await owner.caller.channel.create({ teamId, channel: { type: 'slack', name: 'Public', webhookUrl: 'https://hooks.slack.com/services/T0/B0/x' } });
    expect(channel.config).toEqual({ host: 'hooks.slack.com' });
  });
});

describe('send test', () => {
  it('sends one test per channel every 10 s and answers TOO_MANY_REQUESTS naming the cooldown meanwhile', async () => {
    const { channel } = await owner.caller.channel.create({ teamId, channel: { type: 'email', name: 'Mail', to: ['ops@example.test'] } });
    await owner.caller.channel.test({ channelId: channel.id });
    await expect(owner.caller.channel.test({ channelId: channel.id })).rejects.toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      message: expect.stringMatching(/^one test notification per channel every 10 s: try again in \d+ s$/),
    });
    const again = await post('channel.test', { channelId: channel.id });
    expect(again.status).toBe(429);
    expect(again.body.error!.json.data.code).toBe('TOO_MANY_REQUESTS');
    expect(await getDb().system.notificationDelivery.count({ where: { channelId: channel.id, kind: 'test' } })).toBe(1);
  });
});
