import type { Db } from '@vigil/db';

export interface PendingVersion {
  organizationId: string;
  projectId: string;
  modelId: string;
  modelVersionId: string;
}

/**
 * Model versions with events past their streaming frontier. A safety net: ingest enqueues a
 * job after every commit, but an enqueue can fail (Redis restarting) or coincide with a run
 * that is just finishing; the sweep finds such versions so no event waits for the batch close.
 */
export async function findPendingVersions(db: Db): Promise<PendingVersion[]> {
  const { rows } = await db.pool.query<{ organization_id: string; project_id: string; model_id: string; id: string }>(
    `SELECT v.organization_id, v.project_id, v.model_id, v.id
     FROM model_versions v LEFT JOIN stream_state s ON s.model_version_id = v.id
     WHERE EXISTS (
       SELECT 1 FROM prediction_batch b
       WHERE b.model_version_id = v.id AND b.xid >= COALESCE(s.frontier, '0'::xid8)
         AND b.xid < pg_snapshot_xmin(pg_current_snapshot()))`,
  );
  return rows.map((r) => ({ organizationId: r.organization_id, projectId: r.project_id, modelId: r.model_id, modelVersionId: r.id }));
}
