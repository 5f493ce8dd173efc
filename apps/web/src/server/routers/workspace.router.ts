import { WorkspaceCreateInputSchema, WorkspaceSwitchInputSchema } from '@vigil/contracts';
import { createWorkspace, listUserWorkspaces, switchWorkspace, workspaceSummary } from '@vigil/db';
import { authedProcedure, isAdminRole, router, workspaceProcedure } from '../trpc';


export const workspaceRouter = router({
  /** The workspaces the signed-in user belongs to, for the switcher. */
  list: authedProcedure.query(async ({ ctx }) => ({
    activeOrganizationId: ctx.session.activeOrganizationId ?? null,
    workspaces: await listUserWorkspaces(ctx.db.system, ctx.user.id),
  })),

  /** The active workspace, the caller's role in it and what that role may do. */
  current: workspaceProcedure.query(async ({ ctx }) => {
    const summary = await workspaceSummary(ctx.tenant, ctx.user.id);
    return {
      organization: ctx.organization,
      user: { id: ctx.user.id, name: ctx.user.name, email: ctx.user.email },
      role: ctx.role,
      canWrite: ctx.role !== 'VIEWER',
      isAdmin: isAdminRole(ctx.role),
      ...summary,
    };
  }),

  /** Creates a workspace owned by the caller, with a default team they maintain, and switches to it. */
  create: authedProcedure.input(WorkspaceCreateInputSchema).mutation(({ ctx, input }) => createWorkspace(ctx.db.system, ctx.user, ctx.session.id, input.name)),

  /** Makes another of the caller's workspaces the active one for this session. */
  switch: authedProcedure.input(WorkspaceSwitchInputSchema).mutation(async ({ ctx, input }) => {
    await switchWorkspace(ctx.db.system, ctx.user.id, ctx.session.id, input.organizationId);
    return { organizationId: input.organizationId };
  }),
});
