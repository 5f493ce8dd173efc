import { AlertListInputSchema } from '@vigil/contracts';
import { acknowledgeAlert, listAlerts } from '@vigil/db';
import { alertingProcedure, alertProcedure, router } from '../trpc';

export const alertRouter = router({
  /** Alert instances of the teams the caller reads, newest episode first. */
  list: alertingProcedure.input(AlertListInputSchema).query(({ ctx, input }) => listAlerts(ctx.tenant, [...ctx.access.readTeamIds], input)),

  /** Stops repeats of a firing or pending alert until its episode ends. */
  acknowledge: alertProcedure.mutation(async ({ ctx, input }) => {
    await acknowledgeAlert(ctx.tenant, ctx.actor, ctx.teamIds, input.alertId);
    return { alertId: input.alertId };
  }),
});
