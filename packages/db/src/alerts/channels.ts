import { randomBytes } from 'node:crypto';
import { assertChannelReceivers, AuditAction, VigilError, type ChannelInput, type ChannelType, type ChannelUpdate, type ChannelView, type ReceiverAllowList } from '@vigil/contracts';
import { writeAudit, type Actor } from '../audit.js';
import type { Executor } from '../executor.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { SecretBox } from '../secrets.js';
import type { TenantDb } from '../tenant.js';
import { removeChannelFromRules } from './rules.js';

/** What a channel keeps encrypted. */
export type ChannelSecret =
  | { type: 'webhook'; url: string; signingSecret: string }
  | { type: 'slack'; webhookUrl: string }
  | { type: 'email' }
  | { type: 'pagerduty'; routingKey: string };

function channelView(c: { id: string; teamId: string; name: string; type: string; config: unknown; enabled: boolean; createdAt: Date }): ChannelView {
  return { id: c.id, teamId: c.teamId, name: c.name, type: c.type as ChannelType, config: (c.config ?? {}) as Record<string, unknown>, enabled: c.enabled, createdAt: c.createdAt.toISOString() };
}

/** The settings shown back (`config`) and the secrets sealed at rest. */
function splitChannel(input: ChannelInput): { config: Record<string, unknown>; secret: ChannelSecret; signingSecret?: string } {
  switch (input.type) {
    case 'webhook': {
      const signingSecret = input.signingSecret ?? `whsec_${randomBytes(24).toString('base64url')}`;
      return { config: { host: new URL(input.url).host }, secret: { type: 'webhook', url: input.url, signingSecret }, ...(input.signingSecret ? {} : { signingSecret }) };
    }
    case 'slack':
      return { config: { host: new URL(input.webhookUrl).host }, secret: { type: 'slack', webhookUrl: input.webhookUrl } };
    case 'email':
      return { config: { to: input.to }, secret: { type: 'email' } };
    case 'pagerduty':
      return { config: { routingKeyEnd: input.routingKey.slice(-4) }, secret: { type: 'pagerduty', routingKey: input.routingKey } };
  }
}

/**
 * Creates a channel; a generated webhook signing secret is returned here, once. A webhook or
 * Slack URL on an internal host is refused (400 at `url` / `webhookUrl`) unless `receivers`, the
 * operator's VIGIL_NOTIFICATION_ALLOW_HOSTS, lets it through.
 */
export async function createChannel(
  t: TenantDb,
  box: SecretBox,
  actor: Actor,
  teamId: string,
  input: ChannelInput,
  receivers: ReceiverAllowList,
): Promise<{ channel: ChannelView; signingSecret?: string }> {
  assertChannelReceivers(input, receivers);
  const { config, secret, signingSecret } = splitChannel(input);
  return t.$transaction(async (tx) => {
    const row = await tx.notificationChannel.create({
      data: { organizationId: actor.organizationId, teamId, name: input.name, type: input.type, config: config as Prisma.InputJsonValue, secretEncrypted: box.seal(secret) },
    });
    await writeAudit(tx, actor, { action: AuditAction.channelCreated, targetType: 'channel', targetId: row.id, details: { name: input.name, type: input.type, teamId } });
    return { channel: channelView(row), ...(signingSecret ? { signingSecret } : {}) };
  });
}

export async function listChannels(t: TenantDb, teamIds: readonly string[]): Promise<ChannelView[]> {
  const rows = await t.notificationChannel.findMany({ where: { teamId: { in: [...teamIds] } }, orderBy: [{ name: 'asc' }, { id: 'asc' }] });
  return rows.map(channelView);
}

/** The team owning a channel of this workspace, or null. */
export async function channelTeam(t: TenantDb, id: string): Promise<string | null> {
  return (await t.notificationChannel.findUnique({ where: { id }, select: { teamId: true } }))?.teamId ?? null;
}

export async function channelOf(t: TenantDb, teamIds: readonly string[], id: string) {
  const c = await t.notificationChannel.findFirst({ where: { id, teamId: { in: [...teamIds] } } });
  if (!c) throw new VigilError('NOT_FOUND', 'channel not found');
  return c;
}

export async function getChannel(t: TenantDb, teamIds: readonly string[], id: string): Promise<ChannelView> {
  return channelView(await channelOf(t, teamIds, id));
}

export async function updateChannel(t: TenantDb, actor: Actor, teamIds: readonly string[], id: string, update: ChannelUpdate): Promise<ChannelView> {
  const c = await channelOf(t, teamIds, id);
  return t.$transaction(async (tx) => {
    const row = await tx.notificationChannel.update({
      where: { id: c.id },
      data: { ...(update.name !== undefined ? { name: update.name } : {}), ...(update.enabled !== undefined ? { enabled: update.enabled } : {}) },
    });
    await writeAudit(tx, actor, { action: AuditAction.channelUpdated, targetType: 'channel', targetId: c.id, details: { ...update } });
    return channelView(row);
  });
}

/** Deletes a channel and takes it out of the team's rules. */
export async function deleteChannel(t: TenantDb, actor: Actor, teamIds: readonly string[], id: string): Promise<void> {
  const c = await channelOf(t, teamIds, id);
  await t.$transaction(async (tx) => {
    await removeChannelFromRules(tx, c.teamId, c.id);
    await tx.notificationChannel.delete({ where: { id: c.id } });
    await writeAudit(tx, actor, { action: AuditAction.channelDeleted, targetType: 'channel', targetId: c.id, details: { name: c.name, type: c.type } });
  });
}

export function openChannelSecret(box: SecretBox, sealed: string | null): ChannelSecret {
  if (!sealed) throw new VigilError('INTERNAL', 'channel has no stored secret');
  return box.open<ChannelSecret>(sealed);
}

/** Ids of a team's enabled channels: a notification is delivered only on those. */
export async function enabledChannelIds(q: Executor, organizationId: string, teamId: string): Promise<Set<string>> {
  const { rows } = await q.query<{ id: string }>(`SELECT id FROM notification_channels WHERE organization_id = $1 AND team_id = $2 AND enabled`, [organizationId, teamId]);
  return new Set(rows.map((c) => c.id));
}
