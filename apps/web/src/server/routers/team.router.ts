import { TeamCreateInputSchema, TeamRemoveMemberInputSchema, TeamSetMemberInputSchema } from '@vigil/contracts';
import { createTeam, listTeams, removeTeamMember, setTeamMember } from '@vigil/db';
import { router, teamMaintainerProcedure, workspaceProcedure } from '../trpc';

export const teamRouter = router({
  list: workspaceProcedure.query(({ ctx }) => listTeams(ctx.tenant)),

  /** Any member who can write may start a team; they become its first maintainer. */
  create: workspaceProcedure.input(TeamCreateInputSchema).mutation(({ ctx, input }) => createTeam(ctx.tenant, ctx.actor, input.name)),

  /** Adds a workspace member to the team, or changes their team role. */
  setMember: teamMaintainerProcedure
    .input(TeamSetMemberInputSchema)
    .mutation(({ ctx, input }) => setTeamMember(ctx.tenant, ctx.actor, ctx.team.id, input.userId, input.role)),

  removeMember: teamMaintainerProcedure
    .input(TeamRemoveMemberInputSchema)
    .mutation(({ ctx, input }) => removeTeamMember(ctx.tenant, ctx.actor, ctx.team.id, input.userId)),
});
