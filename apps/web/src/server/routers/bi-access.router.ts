import { biAccessStatus, biEndpoint, issueBiAccess, revokeBiAccess, type BiEndpoint } from '@vigil/services';
import { env } from '~/env';
import { adminProcedure, router } from '../trpc';

function endpoint(): BiEndpoint {
  const e = env();
  return biEndpoint(e.DATABASE_URL, { host: e.VIGIL_BI_HOST, port: e.VIGIL_BI_PORT });
}

/**
 * The workspace's read-only BI database login (docs/bi.md), managed by its owners and admins.
 * The password is in the answer of `issue` only; Postgres keeps its verifier, Vigil nothing.
 */
export const biAccessRouter = router({
  /** Where BI tools connect and the login's user, if there is one (never a password). */
  status: adminProcedure.query(({ ctx }) => biAccessStatus(ctx.db, ctx.actor.organizationId, endpoint())),

  /** Creates the login, or gives it a new password (the old one stops working). */
  issue: adminProcedure.mutation(({ ctx }) => issueBiAccess(ctx.db, ctx.actor, endpoint())),

  /** Drops the login: BI tools can no longer connect. */
  revoke: adminProcedure.mutation(async ({ ctx }) => ({ revoked: await revokeBiAccess(ctx.db, ctx.actor) })),
});
