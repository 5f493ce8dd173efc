import { AuditAction, MemberRemoveInputSchema, MemberUpdateRoleInputSchema, VigilError, type OrgRole } from '@vigil/contracts';
import type { TenantDb } from '@vigil/db';
import { writeAudit } from '../audit';
import { adminProcedure, router, workspaceProcedure } from '../trpc';

async function ownerCount(tx: Pick<TenantDb, 'membership'>): Promise<number> {
  return tx.membership.count({ where: { role: 'OWNER' } });
}

/** Owners are managed by owners only: admins cannot promote to, demote or remove an owner. */
function requireOwnerFor(actorRole: OrgRole, ...roles: OrgRole[]): void {
  if (roles.includes('OWNER') && actorRole !== 'OWNER') {
    throw new VigilError('FORBIDDEN', 'only owners can grant, change or remove the owner role');
  }
}

export const memberRouter = router({
  list: workspaceProcedure.query(async ({ ctx }) => {
    const rows = await ctx.tenant.membership.findMany({
      select: { role: true, createdAt: true, user: { select: { id: true, name: true, email: true } } },
      orderBy: { createdAt: 'asc' },
    });
    return rows.map((r) => ({ ...r.user, role: r.role, joinedAt: r.createdAt }));
  }),

  updateRole: adminProcedure.input(MemberUpdateRoleInputSchema).mutation(async ({ ctx, input }) => {
    return ctx.tenant.$transaction(async (tx) => {
      const target = await tx.membership.findFirst({ where: { userId: input.userId } });
      if (!target) throw new VigilError('NOT_FOUND', 'member not found');
      requireOwnerFor(ctx.role, target.role, input.role);
      if (target.role === 'OWNER' && input.role !== 'OWNER' && (await ownerCount(tx)) <= 1) {
        throw new VigilError('CONFLICT', 'a workspace needs at least one owner: make someone else owner first');
      }
      await tx.membership.update({ where: { id: target.id }, data: { role: input.role } });
      await writeAudit(tx, ctx, {
        action: AuditAction.memberRoleChanged,
        targetType: 'member',
        targetId: input.userId,
        details: { from: target.role, to: input.role },
      });
      return { userId: input.userId, role: input.role };
    });
  }),

  remove: adminProcedure.input(MemberRemoveInputSchema).mutation(async ({ ctx, input }) => {
    return ctx.tenant.$transaction(async (tx) => {
      const target = await tx.membership.findFirst({ where: { userId: input.userId } });
      if (!target) throw new VigilError('NOT_FOUND', 'member not found');
      requireOwnerFor(ctx.role, target.role);
      if (target.role === 'OWNER' && (await ownerCount(tx)) <= 1) {
        throw new VigilError('CONFLICT', 'the last owner cannot be removed');
      }
      await tx.teamMember.deleteMany({ where: { userId: input.userId } });
      await tx.membership.delete({ where: { id: target.id } });
      await writeAudit(tx, ctx, {
        action: AuditAction.memberRemoved,
        targetType: 'member',
        targetId: input.userId,
        details: { role: target.role },
      });
      return { userId: input.userId };
    });
  }),
});
