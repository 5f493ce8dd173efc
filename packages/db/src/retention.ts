import type { Executor } from './executor.js';

/*
 * Raw-event retention per project. Whole daily partitions older than the longest retention are
 * dropped (partitions.ts); projects that keep less lose their older rows here, a bounded
 * batch per statement so no statement holds locks for long.
 */

/** Every project's retention in days. Cross-tenant: a scheduler's read. */
export async function projectRetentions(q: Executor): Promise<{ projectId: string; retentionDays: number }[]> {
  const { rows } = await q.query<{ id: string; retention_days: number }>('SELECT id, retention_days FROM projects');
  return rows.map((r) => ({ projectId: r.id, retentionDays: r.retention_days }));
}

export interface DeletedEvents {
  /** predictions removed with their batches */
  events: number;
  keys: number;
  labels: number;
}

/**
 * Deletes a project's prediction batches of hours before `batchesBefore`, idempotency keys of
 * events before `keysBefore` and labels given before `labelsBefore`, `batch` rows per statement.
 */
export async function deleteProjectEventsBefore(
  q: Executor,
  projectId: string,
  cutoffs: { batchesBefore: Date; keysBefore: Date; labelsBefore: Date },
  batch: number,
): Promise<DeletedEvents> {
  const deleted: DeletedEvents = { events: 0, keys: 0, labels: 0 };
  const steps: [string, Date, (r: { rowCount: number | null; rows: { event_count: number }[] }) => void][] = [
    [
      // ctid is only unique within one partition: match (tableoid, ctid), and re-check the filter.
      `DELETE FROM prediction_batch WHERE project_id = $1 AND hour < $2
         AND (tableoid, ctid) IN (SELECT tableoid, ctid FROM prediction_batch WHERE project_id = $1 AND hour < $2 LIMIT $3)
       RETURNING event_count`,
      cutoffs.batchesBefore,
      (r) => (deleted.events += r.rows.reduce((sum, row) => sum + row.event_count, 0)),
    ],
    [
      `DELETE FROM prediction_key WHERE project_id = $1 AND event_time < $2
         AND ctid IN (SELECT ctid FROM prediction_key WHERE project_id = $1 AND event_time < $2 LIMIT $3)`,
      cutoffs.keysBefore,
      (r) => (deleted.keys += r.rowCount ?? 0),
    ],
    [
      `DELETE FROM prediction_label WHERE project_id = $1 AND label_time < $2
         AND ctid IN (SELECT ctid FROM prediction_label WHERE project_id = $1 AND label_time < $2 LIMIT $3)`,
      cutoffs.labelsBefore,
      (r) => (deleted.labels += r.rowCount ?? 0),
    ],
  ];
  for (const [sql, before, count] of steps) {
    for (;;) {
      const r = await q.query<{ event_count: number }>(sql, [projectId, before, batch]);
      count(r);
      if ((r.rowCount ?? 0) < batch) break;
    }
  }
  return deleted;
}
