import { MemberRemoveInputSchema, MemberUpdateRoleInputSchema } from '@vigil/contracts';
import { listMembers, removeMember, updateMemberRole } from '@vigil/db';
import { adminProcedure, router, workspaceProcedure } from '../trpc';

export const memberRouter = router({
  list: workspaceProcedure.query(({ ctx }) => listMembers(ctx.tenant)),

  updateRole: adminProcedure
    .input(MemberUpdateRoleInputSchema)
    .mutation(({ ctx, input }) => updateMemberRole(ctx.tenant, { ...ctx.actor, role: ctx.role }, input.userId, input.role)),

  remove: adminProcedure.input(MemberRemoveInputSchema).mutation(({ ctx, input }) => removeMember(ctx.tenant, { ...ctx.actor, role: ctx.role }, input.userId)),
});
