import { AuditListInputSchema } from '@vigil/contracts';
import { listAudit } from '@vigil/db';
import { adminProcedure, router } from '../trpc';

export const auditRouter = router({
  /** Newest first; `before` pages back through older rows. */
  list: adminProcedure.input(AuditListInputSchema).query(({ ctx, input }) => listAudit(ctx.tenant, input)),
});
