import { AuditListInputSchema } from '@vigil/contracts';
import { adminProcedure, router } from '../trpc';

export const auditRouter = router({
  /** Newest first; `before` pages back through older rows. */
  list: adminProcedure.input(AuditListInputSchema).query(async ({ ctx, input }) => {
    const rows = await ctx.tenant.auditLog.findMany({
      where: input.before ? { id: { lt: BigInt(input.before) } } : {},
      orderBy: { id: 'desc' },
      take: input.limit,
    });
    const actorIds = [...new Set(rows.map((r) => r.actorUserId).filter((id): id is string => id !== null))];
    const actors = await ctx.db.system.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, name: true, email: true } });
    const actorOf = new Map(actors.map((a) => [a.id, a]));
    const items = rows.map((r) => ({
      id: r.id.toString(),
      action: r.action,
      targetType: r.targetType,
      targetId: r.targetId,
      details: r.details,
      createdAt: r.createdAt,
      actor: r.actorUserId ? (actorOf.get(r.actorUserId) ?? { id: r.actorUserId, name: 'deleted user', email: '' }) : null,
    }));
    return { items, nextBefore: rows.length === input.limit ? items.at(-1)?.id : undefined };
  }),
});
