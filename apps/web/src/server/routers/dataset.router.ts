import { listReferenceDatasets } from '@vigil/db';
import { router, workspaceProcedure } from '../trpc';

export const datasetRouter = router({
  /** Every reference dataset of the workspace, newest first, with its model and whether the model uses it. */
  list: workspaceProcedure.query(({ ctx }) => listReferenceDatasets(ctx.tenant)),
});
