import { AuditAction, ProjectCreateInputSchema, ProjectIdInputSchema, ProjectUpdateInputSchema, VigilError } from '@vigil/contracts';
import { writeAudit } from '../audit';
import { uniqueSlug } from '../slugs';
import { projectMaintainerProcedure, router, teamMaintainerProcedure, workspaceProcedure } from '../trpc';

const projectSelect = {
  id: true,
  name: true,
  slug: true,
  retentionDays: true,
  createdAt: true,
  team: { select: { id: true, name: true } },
  _count: { select: { models: true, apiKeys: { where: { revokedAt: null } } } },
} as const;

export const projectRouter = router({
  list: workspaceProcedure.query(async ({ ctx }) => {
    const rows = await ctx.tenant.project.findMany({ orderBy: { name: 'asc' }, select: projectSelect });
    return rows.map(({ _count, ...p }) => ({ ...p, modelCount: _count.models, activeKeyCount: _count.apiKeys }));
  }),

  get: workspaceProcedure.input(ProjectIdInputSchema).query(async ({ ctx, input }) => {
    const p = await ctx.tenant.project.findUnique({ where: { id: input.projectId }, select: projectSelect });
    if (!p) throw new VigilError('NOT_FOUND', 'project not found');
    const { _count, ...project } = p;
    return { ...project, modelCount: _count.models, activeKeyCount: _count.apiKeys };
  }),

  /** Creates a project owned by `teamId`; that team's maintainers manage it. */
  create: teamMaintainerProcedure.input(ProjectCreateInputSchema).mutation(async ({ ctx, input }) => {
    const slug = await uniqueSlug(input.name, async (c) => (await ctx.tenant.project.count({ where: { slug: c } })) > 0);
    return ctx.tenant.$transaction(async (tx) => {
      const project = await tx.project.create({
        data: { organizationId: ctx.organization.id, teamId: ctx.team.id, name: input.name, slug, retentionDays: input.retentionDays },
      });
      await writeAudit(tx, ctx, {
        action: AuditAction.projectCreated,
        targetType: 'project',
        targetId: project.id,
        details: { name: project.name, teamId: ctx.team.id, retentionDays: project.retentionDays },
      });
      return { id: project.id, name: project.name, slug: project.slug };
    });
  }),

  /** Renames the project or changes how long its raw events are kept. */
  update: projectMaintainerProcedure.input(ProjectUpdateInputSchema).mutation(async ({ ctx, input }) => {
    return ctx.tenant.$transaction(async (tx) => {
      const project = await tx.project.update({
        where: { id: ctx.project.id },
        data: { name: input.name, retentionDays: input.retentionDays },
      });
      await writeAudit(tx, ctx, {
        action: AuditAction.projectUpdated,
        targetType: 'project',
        targetId: project.id,
        details: {
          ...(input.name !== undefined ? { name: { from: ctx.project.name, to: project.name } } : {}),
          ...(input.retentionDays !== undefined ? { retentionDays: { from: ctx.project.retentionDays, to: project.retentionDays } } : {}),
        },
      });
      return { id: project.id, name: project.name, retentionDays: project.retentionDays };
    });
  }),
});
