import type { WindowRecomputeJob } from '@vigil/contracts';
import type { Db } from '@vigil/db';

/**
 * Hour and day windows due for their exact (batch) computation: ended more than `graceMs` ago
 * and never closed, or changed after they were closed — their profiles by late events, or their
 * labels by a label batch (`labels_seq`, migration 0007). Read from the prediction column's
 * profile rows, one per window. `version` names that state of the window, for the job id: a
 * window changed again is enqueued again.
 */
export async function findWindowsToClose(db: Db, graceMs: number, limit = 500): Promise<(WindowRecomputeJob & { version: string })[]> {
  const { rows } = await db.pool.query<{
    organization_id: string;
    project_id: string;
    model_id: string;
    model_version_id: string;
    granularity: 'hour' | 'day';
    window_start: Date;
    updated_at: Date;
    closed: boolean;
    labels_seq: string | null;
    late_events: boolean;
  }>(
    `SELECT p.organization_id, p.project_id, p.model_id, p.model_version_id, p.granularity, p.window_start, p.updated_at,
            w.closed_at IS NOT NULL AS closed, w.labels_seq, w.closed_at < p.updated_at AS late_events
     FROM column_profile p
     LEFT JOIN window_state w
       ON w.model_version_id = p.model_version_id AND w.granularity = p.granularity AND w.window_start = p.window_start
     WHERE p.granularity IN ('hour', 'day') AND p.segment = '' AND p.role = 'prediction' AND p.column_name = 'prediction'
       AND p.window_start + CASE p.granularity WHEN 'hour' THEN interval '1 hour' ELSE interval '1 day' END
           + $1 * interval '1 millisecond' < now()
       AND (w.closed_at IS NULL OR w.closed_at < p.updated_at OR w.labels_seq > w.labels_seq_closed)
     ORDER BY p.window_start
     LIMIT $2`,
    [graceMs, limit],
  );
  return rows.map((r) => ({
    organizationId: r.organization_id,
    projectId: r.project_id,
    modelId: r.model_id,
    modelVersionId: r.model_version_id,
    granularity: r.granularity,
    windowStart: r.window_start.toISOString(),
    reason: !r.closed ? 'close' : r.late_events ? 'late-data' : 'labels',
    version: `${r.updated_at.getTime()}-${r.labels_seq ?? 0}`,
  }));
}
