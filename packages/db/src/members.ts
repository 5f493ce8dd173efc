import { AuditAction, VigilError, type OrgRole } from '@vigil/contracts';
import { writeAudit, type Actor } from './audit.js';
import type { TenantDb, TenantTx } from './tenant.js';

/** A workspace's members and their roles. */

export async function listMembers(t: TenantDb) {
  const rows = await t.membership.findMany({
    select: { role: true, createdAt: true, user: { select: { id: true, name: true, email: true } } },
    orderBy: { createdAt: 'asc' },
  });
  return rows.map((r) => ({ ...r.user, role: r.role, joinedAt: r.createdAt }));
}

function ownerCount(tx: TenantTx): Promise<number> {
  return tx.membership.count({ where: { role: 'OWNER' } });
}

/** Owners are managed by owners only: admins cannot promote to, demote or remove an owner. */
function requireOwnerFor(actorRole: OrgRole, ...roles: OrgRole[]): void {
  if (roles.includes('OWNER') && actorRole !== 'OWNER') {
    throw new VigilError('FORBIDDEN', 'only owners can grant, change or remove the owner role');
  }
}

/** Changes a member's role; a workspace keeps at least one owner. */
export async function updateMemberRole(t: TenantDb, actor: Actor & { role: OrgRole }, userId: string, role: OrgRole): Promise<{ userId: string; role: OrgRole }> {
  return t.$transaction(async (tx) => {
    const target = await tx.membership.findFirst({ where: { userId } });
    if (!target) throw new VigilError('NOT_FOUND', 'member not found');
    requireOwnerFor(actor.role, target.role, role);
    if (target.role === 'OWNER' && role !== 'OWNER' && (await ownerCount(tx)) <= 1) {
      throw new VigilError('CONFLICT', 'a workspace needs at least one owner: make someone else owner first');
    }
    await tx.membership.update({ where: { id: target.id }, data: { role } });
    await writeAudit(tx, actor, { action: AuditAction.memberRoleChanged, targetType: 'member', targetId: userId, details: { from: target.role, to: role } });
    return { userId, role };
  });
}

/** Removes a member from the workspace and its teams; the last owner stays. */
export async function removeMember(t: TenantDb, actor: Actor & { role: OrgRole }, userId: string): Promise<{ userId: string }> {
  return t.$transaction(async (tx) => {
    const target = await tx.membership.findFirst({ where: { userId } });
    if (!target) throw new VigilError('NOT_FOUND', 'member not found');
    requireOwnerFor(actor.role, target.role);
    if (target.role === 'OWNER' && (await ownerCount(tx)) <= 1) {
      throw new VigilError('CONFLICT', 'the last owner cannot be removed');
    }
    await tx.teamMember.deleteMany({ where: { userId } });
    await tx.membership.delete({ where: { id: target.id } });
    await writeAudit(tx, actor, { action: AuditAction.memberRemoved, targetType: 'member', targetId: userId, details: { role: target.role } });
    return { userId };
  });
}
