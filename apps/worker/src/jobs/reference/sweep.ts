import type { ReferenceProfileJob } from '@vigil/contracts';
import type { Db } from '@vigil/db';

/**
 * Reference datasets still `pending` a while after they were stored: any whose profile job was
 * lost (Redis restarted, or unreachable when the upload finished). Re-enqueueing is harmless:
 * the job id is the dataset id, so a build that is queued or running is not started twice.
 */
export async function pendingReferences(db: Db, olderThanMs = 60_000, limit = 100): Promise<ReferenceProfileJob[]> {
  const { rows } = await db.pool.query<{ organization_id: string; project_id: string; model_id: string; id: string }>(
    `SELECT organization_id, project_id, model_id, id FROM reference_datasets
     WHERE status = 'pending' AND created_at < now() - $1 * interval '1 millisecond'
     ORDER BY created_at LIMIT $2`,
    [olderThanMs, limit],
  );
  return rows.map((r) => ({ organizationId: r.organization_id, projectId: r.project_id, modelId: r.model_id, referenceDatasetId: r.id }));
}
