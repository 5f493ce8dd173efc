import type { ReferenceProfileJob } from '@vigil/contracts';
import { pendingReferenceDatasets, type Db } from '@vigil/db';

/**
 * Reference datasets still `pending` a few seconds after they were stored: those the web app
 * created (it has no queue of its own) and any whose profile job was lost (Redis restarted, or
 * unreachable when the upload finished). Re-enqueueing is harmless: the job id is the dataset
 * id, so a build that is queued, running or done is not started again.
 */
export function pendingReferences(db: Db, olderThanMs = 5_000, limit = 100): Promise<ReferenceProfileJob[]> {
  return pendingReferenceDatasets(db.pool, olderThanMs, limit);
}
