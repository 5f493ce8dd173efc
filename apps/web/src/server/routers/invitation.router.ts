import { InvitationCreateInputSchema, InvitationIdInputSchema, InvitationTokenInputSchema } from '@vigil/contracts';
import { acceptInvitation, createInvitation, listInvitations, previewInvitation, revokeInvitation } from '@vigil/db';
import { env } from '~/env';
import { adminProcedure, authedProcedure, publicProcedure, router } from '../trpc';


export const invitationRouter = router({
  list: adminProcedure.query(({ ctx }) => listInvitations(ctx.tenant)),

  /** Creates an invitation and returns its link; the link is shown once and cannot be recovered. */
  create: adminProcedure.input(InvitationCreateInputSchema).mutation(async ({ ctx, input }) => {
    const { token, ...invitation } = await createInvitation(ctx.tenant, { ...ctx.actor, role: ctx.role }, input.email, input.role);
    return { ...invitation, link: `${env().WEB_URL}/invite/${token}` };
  }),

  revoke: adminProcedure.input(InvitationIdInputSchema).mutation(({ ctx, input }) => revokeInvitation(ctx.tenant, ctx.actor, input.invitationId)),

  /** What an invitation link offers, for the page it opens. Holding the token is the permission. */
  preview: publicProcedure.input(InvitationTokenInputSchema).query(({ ctx, input }) => previewInvitation(ctx.db.system, input.token)),

  /** Joins the workspace with the invited role; only the invited address can use the link, once. */
  accept: authedProcedure
    .input(InvitationTokenInputSchema)
    .mutation(({ ctx, input }) => acceptInvitation(ctx.db.system, ctx.db.forTenant, ctx.user, ctx.session.id, input.token)),
});
