import { VigilError } from '@vigil/contracts';
import type { Executor } from '../executor.js';
import type { TenantDb } from '../tenant.js';
import { channelOf } from './channels.js';
import type { Actor } from '../audit.js';

export interface DeliveryView {
  id: string;
  channelId: string;
  groupKey: string;
  kind: 'firing' | 'resolved' | 'repeat' | 'test';
  status: 'pending' | 'delivered' | 'failed';
  attempts: { attempt: number; statusCode: number | null; error: string | null; durationMs: number; at: string }[];
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

/** One test notification per channel within this time: "send test" must not become a way to flood a receiver. */
export const TEST_NOTIFICATION_COOLDOWN_MS = 10_000;

/**
 * Queues a test notification on a channel: a delivery the worker sends within seconds (its
 * delivery sweep picks up new pending deliveries). Returns the delivery to follow. A second
 * test within the cooldown is refused (429 with Retry-After); claiming the channel's test time
 * with a conditional update makes concurrent requests race for one test, not each send one.
 */
export async function createTestDelivery(t: TenantDb, actor: Actor, teamIds: readonly string[], channelId: string, now = new Date()): Promise<{ deliveryId: string }> {
  const c = await channelOf(t, teamIds, channelId);
  return t.$transaction(async (tx) => {
    const cutoff = new Date(now.getTime() - TEST_NOTIFICATION_COOLDOWN_MS);
    const claimed = await tx.notificationChannel.updateMany({
      where: { id: c.id, OR: [{ lastTestAt: null }, { lastTestAt: { lte: cutoff } }] },
      data: { lastTestAt: now },
    });
    if (claimed.count === 0) {
      const last = (await tx.notificationChannel.findUnique({ where: { id: c.id }, select: { lastTestAt: true } }))?.lastTestAt ?? now;
      const retryAfterSeconds = Math.max(1, Math.ceil((last.getTime() + TEST_NOTIFICATION_COOLDOWN_MS - now.getTime()) / 1000));
      const cooldownSeconds = TEST_NOTIFICATION_COOLDOWN_MS / 1000;
      throw new VigilError('RATE_LIMITED', `one test notification per channel every ${cooldownSeconds} s: try again in ${retryAfterSeconds} s`, { retryAfterSeconds, cooldownSeconds });
    }
    const d = await tx.notificationDelivery.create({
      data: { organizationId: actor.organizationId, teamId: c.teamId, channelId: c.id, groupKey: 'test', kind: 'test', payload: { requestedAt: now.toISOString() } },
    });
    return { deliveryId: d.id };
  });
}

/**
 * An attempt's error as shown. Workers before 0013 stored `HTTP <status>: <start of the
 * receiver's answer>`; the migration rewrote those rows, and this keeps one written by an older
 * worker during an upgrade from being shown.
 */
function shownError(error: string | null): string | null {
  const legacy = error === null ? null : /^HTTP (\d{3})\b/.exec(error);
  return legacy ? `receiver answered ${legacy[1]}` : error;
}

export async function listDeliveries(t: TenantDb, teamIds: readonly string[], opts: { channelId?: string; id?: string; limit?: number } = {}): Promise<DeliveryView[]> {
  const channels = await t.notificationChannel.findMany({ where: { teamId: { in: [...teamIds] }, ...(opts.channelId ? { id: opts.channelId } : {}) }, select: { id: true } });
  const rows = await t.notificationDelivery.findMany({
    where: { channelId: { in: channels.map((c) => c.id) }, ...(opts.id ? { id: opts.id } : {}) },
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    take: opts.limit ?? 50,
  });
  const attempts = await t.notificationAttempt.findMany({ where: { deliveryId: { in: rows.map((r) => r.id) } }, orderBy: [{ deliveryId: 'asc' }, { attempt: 'asc' }] });
  return rows.map((d) => ({
    id: d.id,
    channelId: d.channelId,
    groupKey: d.groupKey,
    kind: d.kind as DeliveryView['kind'],
    status: d.status as DeliveryView['status'],
    attempts: attempts
      .filter((a) => a.deliveryId === d.id)
      .map((a) => ({ attempt: a.attempt, statusCode: a.statusCode, error: shownError(a.error), durationMs: a.durationMs, at: a.at.toISOString() })),
    lastError: shownError(d.lastError),
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
  }));
}

/** Stores a planned notification for one channel, pending; returns its id. */
export async function insertDelivery(
  q: Executor,
  d: { organizationId: string; teamId: string; channelId: string; groupKey: string; kind: string; payload: unknown },
): Promise<string> {
  const { rows } = await q.query<{ id: string }>(
    `INSERT INTO notification_deliveries (id, organization_id, team_id, channel_id, group_key, kind, payload)
     VALUES (gen_random_uuid()::text, $1, $2, $3, $4, $5, $6) RETURNING id`,
    [d.organizationId, d.teamId, d.channelId, d.groupKey, d.kind, JSON.stringify(d.payload)],
  );
  return rows[0]!.id;
}

/** A delivery with what sending it needs: its channel (sealed secret), team and workspace. */
export interface DeliveryToSend {
  id: string;
  organizationId: string;
  teamId: string | null;
  status: string;
  kind: string;
  payload: unknown;
  channel: { id: string; organizationId: string; type: string; enabled: boolean; config: { to?: string[] } | null; secretEncrypted: string | null } | null;
  teamName: string | null;
  workspace: { id: string; name: string; slug: string };
}

export async function deliveryToSend(q: Executor, organizationId: string, deliveryId: string): Promise<DeliveryToSend | null> {
  const { rows } = await q.query<{
    id: string;
    organization_id: string;
    team_id: string | null;
    status: string;
    kind: string;
    payload: unknown;
    channel_id: string;
    channel_type: string | null;
    channel_enabled: boolean | null;
    channel_config: { to?: string[] } | null;
    secret_encrypted: string | null;
    team_name: string | null;
    org_name: string;
    org_slug: string;
  }>(
    `SELECT d.id, d.organization_id, d.team_id, d.status, d.kind, d.payload, d.channel_id, c.type AS channel_type, c.enabled AS channel_enabled,
            c.config AS channel_config, c.secret_encrypted, t.name AS team_name, o.name AS org_name, o.slug AS org_slug
     FROM notification_deliveries d
     JOIN organizations o ON o.id = d.organization_id
     LEFT JOIN notification_channels c ON c.id = d.channel_id AND c.organization_id = d.organization_id
     LEFT JOIN teams t ON t.id = c.team_id AND t.organization_id = d.organization_id
     WHERE d.organization_id = $1 AND d.id = $2`,
    [organizationId, deliveryId],
  );
  const d = rows[0];
  if (!d) return null;
  return {
    id: d.id,
    organizationId: d.organization_id,
    teamId: d.team_id,
    status: d.status,
    kind: d.kind,
    payload: d.payload,
    channel: d.channel_type ? { id: d.channel_id, organizationId: d.organization_id, type: d.channel_type, enabled: d.channel_enabled ?? false, config: d.channel_config, secretEncrypted: d.secret_encrypted } : null,
    teamName: d.team_name,
    workspace: { id: d.organization_id, name: d.org_name, slug: d.org_slug },
  };
}

/** Logs one attempt to send a delivery. */
export async function recordDeliveryAttempt(
  q: Executor,
  a: { organizationId: string; deliveryId: string; attempt: number; statusCode: number | null; error: string | null; durationMs: number },
): Promise<void> {
  await q.query(
    `INSERT INTO notification_attempts (organization_id, delivery_id, attempt, status_code, error, duration_ms) VALUES ($1, $2, $3, $4, $5, $6)`,
    [a.organizationId, a.deliveryId, a.attempt, a.statusCode, a.error, a.durationMs],
  );
}

/** Ends a delivery: delivered (at `deliveredAt`) or failed for good. */
export async function finishDelivery(
  q: Executor,
  organizationId: string,
  deliveryId: string,
  outcome: { status: 'delivered'; at: Date } | { status: 'failed'; error: string },
): Promise<void> {
  await q.query(
    `UPDATE notification_deliveries SET status = $3, attempts = attempts + 1, last_error = $4, delivered_at = $5 WHERE organization_id = $1 AND id = $2`,
    [organizationId, deliveryId, outcome.status, outcome.status === 'failed' ? outcome.error : null, outcome.status === 'delivered' ? outcome.at : null],
  );
}

/** Counts a failed attempt of a delivery that will be retried. */
export async function recordDeliveryRetry(q: Executor, organizationId: string, deliveryId: string, error: string): Promise<void> {
  await q.query(`UPDATE notification_deliveries SET attempts = attempts + 1, last_error = $3 WHERE organization_id = $1 AND id = $2`, [organizationId, deliveryId, error]);
}

/**
 * Deliveries still pending a while after they were planned: test notifications queued by the
 * web app, and any whose job was lost (Redis restarted between commit and enqueue). Cross-tenant:
 * a scheduler's read.
 */
export async function pendingDeliveries(q: Executor, olderThanMs: number, limit: number): Promise<{ organizationId: string; deliveryId: string }[]> {
  const { rows } = await q.query<{ organization_id: string; id: string }>(
    `SELECT organization_id, id FROM notification_deliveries
     WHERE status = 'pending' AND created_at < now() - $1 * interval '1 millisecond'
     ORDER BY created_at LIMIT $2`,
    [olderThanMs, limit],
  );
  return rows.map((r) => ({ organizationId: r.organization_id, deliveryId: r.id }));
}
