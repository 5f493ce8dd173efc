import { NotificationPolicySetInputSchema } from '@vigil/contracts';
import { getNotificationPolicy, setNotificationPolicy } from '@vigil/db';
import { alertingTeamProcedure, router } from '../trpc';

export const notificationPolicyRouter = router({
  /** How the team's notifications are grouped and repeated (defaults until someone edits it). */
  get: alertingTeamProcedure.query(({ ctx }) => getNotificationPolicy(ctx.tenant, ctx.team.id)),

  set: alertingTeamProcedure
    .input(NotificationPolicySetInputSchema)
    .mutation(({ ctx, input }) => setNotificationPolicy(ctx.tenant, ctx.actor, ctx.team.id, input.policy)),
});
