import { randomBytes } from 'node:crypto';
import { assertChannelReceivers, AuditAction, VigilError, type ChannelInput, type ChannelType, type ChannelUpdate, type ChannelView, type ReceiverAllowList } from '@vigil/contracts';
import { writeAudit, type Actor } from '../audit.js';
import type { Executor } from '../executor.js';
import type { Prisma } from '../generated/prisma/client.js';
import { sealedWithoutContext, type SecretBox } from '../secrets.js';
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
 * What a channel's sealed secret is bound to (AES-GCM associated data): its column, workspace
 * and row. A sealed value moved to another channel row does not open there.
 */
export function channelSecretContext(organizationId: string, channelId: string): string {
  return `notification_channels.secret_encrypted:${organizationId}:${channelId}`;
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
    const created = await tx.notificationChannel.create({
      data: { organizationId: actor.organizationId, teamId, name: input.name, type: input.type, config: config as Prisma.InputJsonValue },
    });
    // Sealed once the row id exists: the seal is bound to it.
    const row = await tx.notificationChannel.update({
      where: { id: created.id },
      data: { secretEncrypted: box.seal(secret, channelSecretContext(created.organizationId, created.id)) },
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

/** Opens a channel's secret; it must have been sealed for this very channel (or be a legacy v1 seal). */
export function openChannelSecret(box: SecretBox, channel: { id: string; organizationId: string; secretEncrypted: string | null }): ChannelSecret {
  if (!channel.secretEncrypted) throw new VigilError('INTERNAL', 'channel has no stored secret');
  return box.open<ChannelSecret>(channel.secretEncrypted, channelSecretContext(channel.organizationId, channel.id));
}

/**
 * Seals legacy (v1, unbound) channel secrets again, bound to their rows, `batchSize` rows per
 * statement, until none is left; returns how many were re-sealed. Safe to run in several
 * processes at once: a row is rewritten only while it still holds the value that was read.
 * A value that does not open with this key is left as it is (and counted in `failed`).
 */
export async function resealLegacyChannelSecrets(q: Executor, box: SecretBox, batchSize = 100): Promise<{ resealed: number; failed: number }> {
  let resealed = 0;
  const failed = new Set<string>();
  for (;;) {
    const { rows } = await q.query<{ id: string; organization_id: string; secret_encrypted: string }>(
      `SELECT id, organization_id, secret_encrypted FROM notification_channels
       WHERE secret_encrypted LIKE 'v1.%' AND NOT (id = ANY($2::text[])) ORDER BY id LIMIT $1`,
      [batchSize, [...failed]],
    );
    if (rows.length === 0) return { resealed, failed: failed.size };
    const updates: { id: string; organizationId: string; old: string; sealed: string }[] = [];
    for (const r of rows) {
      if (!sealedWithoutContext(r.secret_encrypted)) continue;
      const context = channelSecretContext(r.organization_id, r.id);
      try {
        updates.push({ id: r.id, organizationId: r.organization_id, old: r.secret_encrypted, sealed: box.seal(box.open(r.secret_encrypted, context), context) });
      } catch {
        failed.add(r.id);
      }
    }
    if (updates.length === 0) continue;
    const res = await q.query(
      `UPDATE notification_channels c SET secret_encrypted = u.sealed
       FROM json_to_recordset($1::json) AS u(id text, "organizationId" text, old text, sealed text)
       WHERE c.id = u.id AND c.organization_id = u."organizationId" AND c.secret_encrypted = u.old`,
      [JSON.stringify(updates)],
    );
    resealed += res.rowCount ?? 0;
  }
}

/** Ids of a team's enabled channels: a notification is delivered only on those. */
export async function enabledChannelIds(q: Executor, organizationId: string, teamId: string): Promise<Set<string>> {
  const { rows } = await q.query<{ id: string }>(`SELECT id FROM notification_channels WHERE organization_id = $1 AND team_id = $2 AND enabled`, [organizationId, teamId]);
  return new Set(rows.map((c) => c.id));
}
