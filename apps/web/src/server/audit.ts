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

/** Writes one audit row, in the caller's transaction. */
export async function writeAudit(
  tx: AuditWriter,
  who: { organizationId: string; actorUserId: string },
  entry: AuditEntry,
): Promise<void> {
  await tx.auditLog.create({ data: { ...who, ...entry } });
}
