import { AuditAction, VigilError, WorkspaceCreateInputSchema, WorkspaceSwitchInputSchema } from '@vigil/contracts';
import { writeAudit } from '../audit';
import { uniqueSlug } from '../slugs';
import { authedProcedure, isAdminRole, router, workspaceProcedure } from '../trpc';

/** Name of the team every new workspace starts with. */
export const DEFAULT_TEAM_NAME = 'Core';

export const workspaceRouter = router({
  /** The workspaces the signed-in user belongs to, for the switcher. */
  list: authedProcedure.query(async ({ ctx }) => {
    const memberships = await ctx.db.system.membership.findMany({
      where: { userId: ctx.user.id },
      select: { role: true, organization: { select: { id: true, name: true, slug: true } } },
      orderBy: { createdAt: 'asc' },
    });
    return {
      activeOrganizationId: ctx.session.activeOrganizationId ?? null,
      workspaces: memberships.map((m) => ({ ...m.organization, role: m.role })),
    };
  }),

  /** The active workspace, the caller's role in it and what that role may do. */
  current: workspaceProcedure.query(async ({ ctx }) => {
    const [maintained, projects, teams, members, models] = await Promise.all([
      ctx.tenant.teamMember.findMany({ where: { userId: ctx.user.id, role: 'MAINTAINER' }, select: { teamId: true } }),
      ctx.tenant.project.count(),
      ctx.tenant.team.count(),
      ctx.tenant.membership.count(),
      ctx.tenant.model.count(),
    ]);
    return {
      organization: ctx.organization,
      user: { id: ctx.user.id, name: ctx.user.name, email: ctx.user.email },
      role: ctx.role,
      canWrite: ctx.role !== 'VIEWER',
      isAdmin: isAdminRole(ctx.role),
      maintainedTeamIds: maintained.map((m) => m.teamId),
      counts: { projects, teams, members, models },
    };
  }),

  /** Creates a workspace owned by the caller, with a default team they maintain, and switches to it. */
  create: authedProcedure.input(WorkspaceCreateInputSchema).mutation(async ({ ctx, input }) => {
    const s = ctx.db.system;
    const slug = await uniqueSlug(input.name, async (c) => (await s.organization.count({ where: { slug: c } })) > 0);
    const org = await s.$transaction(async (tx) => {
      const org = await tx.organization.create({ data: { name: input.name, slug } });
      await tx.membership.create({ data: { organizationId: org.id, userId: ctx.user.id, role: 'OWNER' } });
      const team = await tx.team.create({ data: { organizationId: org.id, name: DEFAULT_TEAM_NAME, slug: 'core' } });
      await tx.teamMember.create({ data: { organizationId: org.id, teamId: team.id, userId: ctx.user.id, role: 'MAINTAINER' } });
      await writeAudit(tx, { organization: org, user: ctx.user }, {
        action: AuditAction.workspaceCreated,
        targetType: 'workspace',
        targetId: org.id,
        details: { name: org.name },
      });
      await tx.session.update({ where: { id: ctx.session.id }, data: { activeOrganizationId: org.id } });
      return org;
    });
    return { id: org.id, name: org.name, slug: org.slug };
  }),

  /** Makes another of the caller's workspaces the active one for this session. */
  switch: authedProcedure.input(WorkspaceSwitchInputSchema).mutation(async ({ ctx, input }) => {
    const membership = await ctx.db.system.membership.findUnique({
      where: { organizationId_userId: { organizationId: input.organizationId, userId: ctx.user.id } },
    });
    if (!membership) throw new VigilError('FORBIDDEN', 'you are not a member of this workspace');
    await ctx.db.system.session.update({ where: { id: ctx.session.id }, data: { activeOrganizationId: input.organizationId } });
    return { organizationId: input.organizationId };
  }),
});
