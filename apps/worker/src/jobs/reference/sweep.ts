import type { ReferenceProfileJob } from '@vigil/contracts';
import { pendingReferenceDatasets, type Db } from '@vigil/db';

/**
 * Reference datasets still `pending` a while after they were stored: any whose profile job was
 * lost (Redis restarted, or unreachable when the upload finished). Re-enqueueing is harmless:
 * the job id is the dataset id, so a build that is queued or running is not started twice.
 */
export function pendingReferences(db: Db, olderThanMs = 60_000, limit = 100): Promise<ReferenceProfileJob[]> {
  return pendingReferenceDatasets(db.pool, olderThanMs, limit);
}
