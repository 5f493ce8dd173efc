import { AuditAction, TeamCreateInputSchema, TeamRemoveMemberInputSchema, TeamSetMemberInputSchema, VigilError } from '@vigil/contracts';
import { writeAudit } from '../audit';
import { uniqueSlug } from '../slugs';
import { router, teamMaintainerProcedure, workspaceProcedure } from '../trpc';

export const teamRouter = router({
  list: workspaceProcedure.query(async ({ ctx }) => {
    const teams = await ctx.tenant.team.findMany({
      orderBy: { name: 'asc' },
      select: {
        id: true,
        name: true,
        slug: true,
        createdAt: true,
        _count: { select: { projects: true } },
        members: {
          orderBy: { createdAt: 'asc' },
          select: { role: true, user: { select: { id: true, name: true, email: true } } },
        },
      },
    });
    return teams.map(({ _count, members, ...team }) => ({
      ...team,
      projectCount: _count.projects,
      members: members.map((m) => ({ ...m.user, role: m.role })),
    }));
  }),

  /** Any member who can write may start a team; they become its first maintainer. */
  create: workspaceProcedure.input(TeamCreateInputSchema).mutation(async ({ ctx, input }) => {
    const slug = await uniqueSlug(input.name, async (c) => (await ctx.tenant.team.count({ where: { slug: c } })) > 0);
    return ctx.tenant.$transaction(async (tx) => {
      const team = await tx.team.create({ data: { organizationId: ctx.organization.id, name: input.name, slug } });
      await tx.teamMember.create({
        data: { organizationId: ctx.organization.id, teamId: team.id, userId: ctx.user.id, role: 'MAINTAINER' },
      });
      await writeAudit(tx, ctx, {
        action: AuditAction.teamCreated,
        targetType: 'team',
        targetId: team.id,
        details: { name: team.name },
      });
      return { id: team.id, name: team.name, slug: team.slug };
    });
  }),

  /** Adds a workspace member to the team, or changes their team role. */
  setMember: teamMaintainerProcedure.input(TeamSetMemberInputSchema).mutation(async ({ ctx, input }) => {
    return ctx.tenant.$transaction(async (tx) => {
      const membership = await tx.membership.findFirst({ where: { userId: input.userId } });
      if (!membership) throw new VigilError('NOT_FOUND', 'that person is not a member of this workspace');
      if (input.role === 'MAINTAINER' && membership.role === 'VIEWER') {
        throw new VigilError('CONFLICT', 'viewers cannot maintain a team: change their workspace role first');
      }
      await tx.teamMember.upsert({
        where: { teamId_userId: { teamId: ctx.team.id, userId: input.userId } },
        create: { organizationId: ctx.organization.id, teamId: ctx.team.id, userId: input.userId, role: input.role },
        update: { role: input.role },
      });
      await writeAudit(tx, ctx, {
        action: AuditAction.teamMemberSet,
        targetType: 'team',
        targetId: ctx.team.id,
        details: { userId: input.userId, role: input.role },
      });
      return { teamId: ctx.team.id, userId: input.userId, role: input.role };
    });
  }),

  removeMember: teamMaintainerProcedure.input(TeamRemoveMemberInputSchema).mutation(async ({ ctx, input }) => {
    return ctx.tenant.$transaction(async (tx) => {
      const member = await tx.teamMember.findUnique({ where: { teamId_userId: { teamId: ctx.team.id, userId: input.userId } } });
      if (!member) throw new VigilError('NOT_FOUND', 'that person is not in this team');
      if (member.role === 'MAINTAINER' && (await tx.teamMember.count({ where: { teamId: ctx.team.id, role: 'MAINTAINER' } })) <= 1) {
        throw new VigilError('CONFLICT', 'a team needs at least one maintainer: make someone else maintainer first');
      }
      await tx.teamMember.delete({ where: { id: member.id } });
      await writeAudit(tx, ctx, {
        action: AuditAction.teamMemberRemoved,
        targetType: 'team',
        targetId: ctx.team.id,
        details: { userId: input.userId },
      });
      return { teamId: ctx.team.id, userId: input.userId };
    });
  }),
});
