import { ApiKeyCreateInputSchema, ApiKeyIdInputSchema } from '@vigil/contracts';
import { createApiKey, listApiKeys, revokeApiKey } from '@vigil/db';
import { env } from '~/env';
import { projectMaintainerProcedure, router } from '../trpc';

export const apiKeyRouter = router({
  /**
   * Keys of a project by prefix, for those who manage them: the project team's maintainers and
   * the workspace admins (names, scopes and usage of keys are not for every viewer). Secrets are
   * never stored, and hashes never listed.
   */
  list: projectMaintainerProcedure.query(({ ctx }) => listApiKeys(ctx.tenant, ctx.project.id)),

  /** Creates a key; the response carries the secret, which is shown once and never again. */
  create: projectMaintainerProcedure
    .input(ApiKeyCreateInputSchema)
    .mutation(async ({ ctx, input }) => ({ ...(await createApiKey(ctx.tenant, ctx.actor, ctx.project.id, input)), endpoint: env().API_URL })),

  revoke: projectMaintainerProcedure.input(ApiKeyIdInputSchema).mutation(({ ctx, input }) => revokeApiKey(ctx.tenant, ctx.actor, ctx.project.id, input.apiKeyId)),
});
