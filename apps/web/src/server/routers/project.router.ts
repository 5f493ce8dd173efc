import { ProjectCreateInputSchema, ProjectIdInputSchema, ProjectUpdateInputSchema } from '@vigil/contracts';
import { createProject, getProjectSummary, listProjects, updateProject } from '@vigil/db';
import { projectMaintainerProcedure, router, teamMaintainerProcedure, workspaceProcedure } from '../trpc';

export const projectRouter = router({
  list: workspaceProcedure.query(({ ctx }) => listProjects(ctx.tenant)),

  get: workspaceProcedure.input(ProjectIdInputSchema).query(({ ctx, input }) => getProjectSummary(ctx.tenant, input.projectId)),

  /** Creates a project owned by `teamId`; that team's maintainers manage it. */
  create: teamMaintainerProcedure.input(ProjectCreateInputSchema).mutation(({ ctx, input }) => createProject(ctx.tenant, ctx.actor, ctx.team.id, input)),

  /** Renames the project or changes how long its raw events are kept. */
  update: projectMaintainerProcedure.input(ProjectUpdateInputSchema).mutation(({ ctx, input }) => updateProject(ctx.tenant, ctx.actor, ctx.project, input)),
});
