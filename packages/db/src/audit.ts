import type { AuditAction, AuditTargetType } from '@vigil/contracts';
import type { Prisma } from './generated/prisma/client.js';
import type { TenantDb } from './tenant.js';

/** Who acts, in which workspace: a user of the web app, or a project's API key over REST. */
export interface Actor {
  organizationId: string;
  userId?: string | null;
  apiKeyId?: string | null;
}

export interface AuditEntry {
  action: AuditAction;
  targetType: AuditTargetType;
  targetId: string;
  details?: Prisma.InputJsonValue;
}

/** Any client or transaction that can insert audit rows (tenant-scoped, or the system client at sign-up). */
export interface AuditWriter {
  auditLog: {
    create(args: {
      data: { organizationId: string; actorUserId: string | null; actorApiKeyId: string | null } & Omit<AuditEntry, 'details'> & { details?: Prisma.InputJsonValue };
    }): PromiseLike<unknown>;
  };
}

/**
 * Writes one audit row: who did what to which object. Every change an admin makes goes
 * through here, in the transaction of the change itself.
 */
export async function writeAudit(tx: AuditWriter, actor: Actor, entry: AuditEntry): Promise<void> {
  await tx.auditLog.create({
    data: {
      organizationId: actor.organizationId,
      actorUserId: actor.userId ?? null,
      actorApiKeyId: actor.apiKeyId ?? null,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      ...(entry.details !== undefined ? { details: entry.details } : {}),
    },
  });
}

export interface AuditItem {
  id: string;
  action: string;
  targetType: string;
  targetId: string | null;
  details: unknown;
  createdAt: Date;
  actor: { id: string; name: string; email: string } | null;
  actorApiKeyId: string | null;
}

/** The workspace's audit log, newest first; `before` (an id) pages back through older rows. */
export async function listAudit(t: TenantDb, opts: { limit: number; before?: string }): Promise<{ items: AuditItem[]; nextBefore?: string }> {
  const rows = await t.auditLog.findMany({
    where: opts.before ? { id: { lt: BigInt(opts.before) } } : {},
    orderBy: { id: 'desc' },
    take: opts.limit,
  });
  const actorIds = [...new Set(rows.map((r) => r.actorUserId).filter((id): id is string => id !== null))];
  // Users are not tenant rows: only the ids this workspace's own rows name are read.
  const actors = await t.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, name: true, email: true } });
  const actorOf = new Map(actors.map((a) => [a.id, a]));
  const items = rows.map((r) => ({
    id: r.id.toString(),
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    details: r.details,
    createdAt: r.createdAt,
    actor: r.actorUserId ? (actorOf.get(r.actorUserId) ?? { id: r.actorUserId, name: 'deleted user', email: '' }) : null,
    actorApiKeyId: r.actorApiKeyId,
  }));
  return { items, ...(rows.length === opts.limit && items.length > 0 ? { nextBefore: items.at(-1)!.id } : {}) };
}
