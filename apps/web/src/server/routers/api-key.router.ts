import { ApiKeyCreateInputSchema, ApiKeyIdInputSchema, AuditAction, ProjectIdInputSchema, VigilError } from '@vigil/contracts';
import { generateApiKey } from '@vigil/db';
import { env } from '~/env';
import { writeAudit } from '../audit';
import { projectMaintainerProcedure, router, workspaceProcedure } from '../trpc';

export const apiKeyRouter = router({
  /** Keys of a project by prefix; secrets are never stored, so never listed. */
  list: workspaceProcedure.input(ProjectIdInputSchema).query(async ({ ctx, input }) => {
    const project = await ctx.tenant.project.findUnique({ where: { id: input.projectId }, select: { id: true } });
    if (!project) throw new VigilError('NOT_FOUND', 'project not found');
    const keys = await ctx.tenant.apiKey.findMany({
      where: { projectId: project.id },
      orderBy: [{ revokedAt: { sort: 'desc', nulls: 'first' } }, { createdAt: 'desc' }],
      select: { id: true, name: true, prefix: true, scopes: true, lastUsedAt: true, revokedAt: true, createdAt: true, createdById: true },
    });
    const creatorIds = [...new Set(keys.map((k) => k.createdById).filter((id): id is string => id !== null))];
    const creators = await ctx.db.system.user.findMany({ where: { id: { in: creatorIds } }, select: { id: true, name: true } });
    const nameOf = new Map(creators.map((u) => [u.id, u.name]));
    return keys.map(({ createdById, ...k }) => ({ ...k, createdBy: createdById ? (nameOf.get(createdById) ?? null) : null }));
  }),

  /** Creates a key; the response carries the secret, which is shown once and never again. */
  create: projectMaintainerProcedure.input(ApiKeyCreateInputSchema).mutation(async ({ ctx, input }) => {
    const key = generateApiKey();
    const created = await ctx.tenant.$transaction(async (tx) => {
      const row = await tx.apiKey.create({
        data: {
          organizationId: ctx.organization.id,
          projectId: ctx.project.id,
          name: input.name,
          prefix: key.prefix,
          hash: key.hash,
          scopes: input.scopes,
          createdById: ctx.user.id,
        },
      });
      await writeAudit(tx, ctx, {
        action: AuditAction.apiKeyCreated,
        targetType: 'api_key',
        targetId: row.id,
        details: { projectId: ctx.project.id, name: row.name, prefix: row.prefix, scopes: row.scopes },
      });
      return row;
    });
    return {
      id: created.id,
      name: created.name,
      prefix: created.prefix,
      scopes: created.scopes,
      secret: key.secret,
      endpoint: env().API_URL,
    };
  }),

  revoke: projectMaintainerProcedure.input(ApiKeyIdInputSchema).mutation(async ({ ctx, input }) => {
    return ctx.tenant.$transaction(async (tx) => {
      const key = await tx.apiKey.findFirst({ where: { id: input.apiKeyId, projectId: ctx.project.id } });
      if (!key) throw new VigilError('NOT_FOUND', 'API key not found');
      if (key.revokedAt) throw new VigilError('CONFLICT', 'this key is already revoked');
      const revoked = await tx.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
      await writeAudit(tx, ctx, {
        action: AuditAction.apiKeyRevoked,
        targetType: 'api_key',
        targetId: key.id,
        details: { projectId: ctx.project.id, prefix: key.prefix },
      });
      return { id: revoked.id, revokedAt: revoked.revokedAt };
    });
  }),
});
