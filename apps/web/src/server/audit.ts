import type { AuditAction } from '@vigil/contracts';
import type { Prisma } from '@vigil/db';

export interface AuditEntry {
  action: AuditAction;
  targetType: 'member' | 'invitation' | 'team' | 'project' | 'api_key' | 'workspace';
  targetId: string;
  details?: Prisma.InputJsonValue;
}

type AuditRow = AuditEntry & { organizationId: string; actorUserId: string };

/** Any client or transaction that can insert audit rows (tenant-scoped, or system at sign-up). */
export interface AuditWriter {
  auditLog: { create(args: { data: AuditRow }): PromiseLike<unknown> };
}

/** Who acted, in which workspace: a procedure's context fits as it is. */
export interface AuditActor {
  organization: { id: string };
  user: { id: string };
}

/** Writes one audit row, in the caller's transaction. */
export async function writeAudit(tx: AuditWriter, actor: AuditActor, entry: AuditEntry): Promise<void> {
  await tx.auditLog.create({ data: { organizationId: actor.organization.id, actorUserId: actor.user.id, ...entry } });
}
