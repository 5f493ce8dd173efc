import type { Executor } from './executor.js';

/*
 * Exact (batch) closing of hour and day windows (table window_state, migrations 0004 and
 * 0007): when each window was last recomputed from its stored events, and how many label
 * writes touched it.
 */

export type ClosableGranularity = 'hour' | 'day';

export interface WindowToClose {
  organizationId: string;
  projectId: string;
  modelId: string;
  modelVersionId: string;
  granularity: ClosableGranularity;
  windowStart: Date;
  reason: 'close' | 'late-data' | 'labels';
  /** Names this state of the window: a window changed again is due again under a new name. */
  version: string;
}

/**
 * Hour and day windows of every workspace due for their exact computation: ended more than
 * `graceMs` ago and never closed, or changed after they were closed — their profiles by late
 * events, or their labels by a label batch. Read from the prediction column's profile rows,
 * one per window. Cross-tenant: a scheduler's read.
 */
export async function findWindowsToClose(q: Executor, graceMs: number, limit = 500): Promise<WindowToClose[]> {
  const { rows } = await q.query<{
    organization_id: string;
    project_id: string;
    model_id: string;
    model_version_id: string;
    granularity: ClosableGranularity;
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
    windowStart: r.window_start,
    reason: !r.closed ? 'close' : r.late_events ? 'late-data' : 'labels',
    version: `${r.updated_at.getTime()}-${r.labels_seq ?? 0}`,
  }));
}

/**
 * Label writes that touched a window so far. A recompute reads it before the window's rows: a
 * label batch committed after this read bumps it past the value recorded at close, so the
 * window is found due again even if its labels were not among the rows read.
 */
export async function windowLabelsSeq(q: Executor, organizationId: string, modelVersionId: string, granularity: ClosableGranularity, windowStart: Date): Promise<string> {
  const { rows } = await q.query<{ labels_seq: string }>(
    `SELECT labels_seq FROM window_state WHERE organization_id = $1 AND model_version_id = $2 AND granularity = $3 AND window_start = $4`,
    [organizationId, modelVersionId, granularity, windowStart],
  );
  return rows[0]?.labels_seq ?? '0';
}

/** Records a window's exact recompute: when, over how many rows, and the labels_seq it read. */
export async function markWindowClosed(
  q: Executor,
  w: { organizationId: string; modelVersionId: string; granularity: ClosableGranularity; windowStart: Date; closedAt: Date; rows: number; labelsSeq: string },
): Promise<void> {
  await q.query(
    `INSERT INTO window_state (model_version_id, granularity, window_start, organization_id, closed_at, rows, labels_seq_closed)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (model_version_id, granularity, window_start) DO UPDATE
       SET closed_at = EXCLUDED.closed_at, rows = EXCLUDED.rows,
           labels_seq_closed = GREATEST(window_state.labels_seq_closed, EXCLUDED.labels_seq_closed)
     WHERE window_state.organization_id = EXCLUDED.organization_id`,
    [w.modelVersionId, w.granularity, w.windowStart, w.organizationId, w.closedAt, w.rows, w.labelsSeq],
  );
}
