import { ApiKeyCreateInputSchema, ApiKeyIdInputSchema, ProjectIdInputSchema } from '@vigil/contracts';
import { createApiKey, getProject, listApiKeys, revokeApiKey } from '@vigil/db';
import { env } from '~/env';
import { projectMaintainerProcedure, router, workspaceProcedure } from '../trpc';

export const apiKeyRouter = router({
  /** Keys of a project by prefix; secrets are never stored, so never listed. */
  list: workspaceProcedure.input(ProjectIdInputSchema).query(async ({ ctx, input }) => listApiKeys(ctx.tenant, (await getProject(ctx.tenant, input.projectId)).id)),

  /** Creates a key; the response carries the secret, which is shown once and never again. */
  create: projectMaintainerProcedure
    .input(ApiKeyCreateInputSchema)
    .mutation(async ({ ctx, input }) => ({ ...(await createApiKey(ctx.tenant, ctx.actor, ctx.project.id, input)), endpoint: env().API_URL })),

  revoke: projectMaintainerProcedure.input(ApiKeyIdInputSchema).mutation(({ ctx, input }) => revokeApiKey(ctx.tenant, ctx.actor, ctx.project.id, input.apiKeyId)),
});
