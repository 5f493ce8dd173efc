import { createCipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { NO_INTERNAL_RECEIVERS } from '@vigil/contracts';
import { afterAll, describe, expect, it } from 'vitest';
import { channelSecretContext, createChannel, openChannelSecret, resealLegacyChannelSecrets } from './alerts/channels.js';
import { SecretBox } from './secrets.js';
import { createTestDb, createTestTenant } from './testing/index.js';

const db = createTestDb();
afterAll(() => db.close());

const KEY = 'channel-secrets-test-key-0123456789abcdef';
const box = new SecretBox(KEY);

/** A value as the first release sealed it: `v1.…`, AES-256-GCM without associated data. */
function legacySeal(value: unknown): string {
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(KEY, 'utf8'), Buffer.alloc(0), 'vigil notification channel secrets', 32));
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

async function twoChannels() {
  const t = await createTestTenant(db);
  const tenant = db.forTenant(t.organizationId);
  const actor = { organizationId: t.organizationId, userId: t.userId };
  const a = await createChannel(tenant, box, actor, t.teamId, { type: 'pagerduty', name: 'A', routingKey: 'ROUTINGKEY-OF-A-1234' }, NO_INTERNAL_RECEIVERS);
  const b = await createChannel(tenant, box, actor, t.teamId, { type: 'pagerduty', name: 'B', routingKey: 'ROUTINGKEY-OF-B-5678' }, NO_INTERNAL_RECEIVERS);
  const row = (id: string) => db.system.notificationChannel.findUniqueOrThrow({ where: { id } });
  return { t, a: await row(a.channel.id), b: await row(b.channel.id), row };
}

describe('channel secrets bound to their rows', () => {
  it('opens a channel secret in its own row, but not once copied into another channel', async () => {
    const { a, b } = await twoChannels();
    expect(a.secretEncrypted).toMatch(/^v2\./);
    expect(openChannelSecret(box, a)).toEqual({ type: 'pagerduty', routingKey: 'ROUTINGKEY-OF-A-1234' });
    // Whoever can write the table moves A's secret onto B: B's deliveries would go to A's service.
    expect(() => openChannelSecret(box, { ...b, secretEncrypted: a.secretEncrypted })).toThrow(/does not open here/);
    expect(() => openChannelSecret(box, { ...a, organizationId: 'another-workspace' })).toThrow(/does not open here/);
  });

  it('still opens legacy v1 seals, and seals them again bound to their rows', async () => {
    const { a, row } = await twoChannels();
    const legacy = legacySeal({ type: 'pagerduty', routingKey: 'LEGACY-ROUTING-KEY' });
    await db.system.notificationChannel.update({ where: { id: a.id }, data: { secretEncrypted: legacy } });
    expect(openChannelSecret(box, { ...a, secretEncrypted: legacy })).toEqual({ type: 'pagerduty', routingKey: 'LEGACY-ROUTING-KEY' });

    const result = await resealLegacyChannelSecrets(db.pool, box, 1);
    expect(result.resealed).toBeGreaterThanOrEqual(1);
    const upgraded = await row(a.id);
    expect(upgraded.secretEncrypted).toMatch(/^v2\./);
    expect(openChannelSecret(box, upgraded)).toEqual({ type: 'pagerduty', routingKey: 'LEGACY-ROUTING-KEY' });
    expect(() => box.open(upgraded.secretEncrypted!, channelSecretContext(a.organizationId, 'another-channel'))).toThrow(/does not open here/);
    expect((await resealLegacyChannelSecrets(db.pool, box)).resealed).toBe(0);
  });
});
