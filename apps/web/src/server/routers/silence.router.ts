import { SilenceCreateInputSchema, SilenceListInputSchema } from '@vigil/contracts';
import { createSilence, expireSilence, listSilences } from '@vigil/db';
import { alertingProcedure, alertingTeamProcedure, router, silenceProcedure } from '../trpc';

export const silenceRouter = router({
  /** Active and upcoming silences of the teams the caller reads (and ended ones on request). */
  list: alertingProcedure.input(SilenceListInputSchema).query(({ ctx, input }) =>
    listSilences(ctx.tenant, [...ctx.access.readTeamIds], { includeExpired: input.includeExpired }),
  ),

  /** Mutes the team's alerts whose labels match every matcher, from now (or `startsAt`) for a while. */
  create: alertingTeamProcedure.input(SilenceCreateInputSchema).mutation(({ ctx, input }) => {
    const { teamId: _teamId, ...silence } = input;
    return createSilence(ctx.tenant, ctx.actor, ctx.team.id, silence);
  }),

  /** Ends a silence now; it stays listed as expired. */
  expire: silenceProcedure.mutation(({ ctx, input }) => expireSilence(ctx.tenant, ctx.actor, ctx.teamIds, input.silenceId)),
});
