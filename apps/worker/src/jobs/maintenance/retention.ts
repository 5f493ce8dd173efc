import type { Db } from '@vigil/db';
import type pg from 'pg';

const DAY_MS = 86_400_000;

export interface RetentionResult {
  droppedPartitions: number;
  /** predictions removed with their batches */
  deletedEvents: number;
  deletedKeys: number;
  deletedLabels: number;
}

/**
 * Applies each project's retention (days of raw events kept). Whole daily partitions older than
 * the longest retention of any project are dropped — cheap, no row deletes. Projects that keep
 * less lose their older batches, keys and labels by batched deletes. Metric points and hour/day
 * profiles are kept: they are the history users look at after raw events expire.
 */
export async function applyRetention(
  db: Db,
  now: number,
  opts: { batch?: number; projectIds?: string[]; dropPartitions?: boolean } = {},
): Promise<RetentionResult> {
  const batch = opts.batch ?? 10_000;
  const { rows: all } = await db.pool.query<{ id: string; retention_days: number }>('SELECT id, retention_days FROM projects');
  const longest = Math.max(1, ...all.map((p) => p.retention_days));
  const cutoffDay = new Date(now - longest * DAY_MS).toISOString().slice(0, 10);
  const dropped =
    opts.dropPartitions === false
      ? [{ n: 0 }]
      : (await db.pool.query<{ n: number }>('SELECT vigil_drop_partitions_before($1::date) AS n', [cutoffDay])).rows;
  const projects = opts.projectIds ? all.filter((p) => opts.projectIds!.includes(p.id)) : all;
  let deletedEvents = 0;
  let deletedKeys = 0;
  let deletedLabels = 0;
  for (const p of projects) {
    const cutoff = new Date(now - p.retention_days * DAY_MS);
    // A batch holds one hour of events: a project's retention is applied to the hour.
    const cutoffHour = new Date(cutoff.getTime() - (cutoff.getTime() % 3_600_000));
    const deletes: [string, number, (r: pg.QueryResult<{ event_count: number }>) => void][] = [
      [
        // ctid is only unique within one partition: match (tableoid, ctid), and re-check the filter.
        `DELETE FROM prediction_batch WHERE project_id = $1 AND hour < $2
           AND (tableoid, ctid) IN (SELECT tableoid, ctid FROM prediction_batch WHERE project_id = $1 AND hour < $2 LIMIT $3)
         RETURNING event_count`,
        cutoffHour.getTime(),
        (r) => (deletedEvents += r.rows.reduce((sum, row) => sum + row.event_count, 0)),
      ],
      [
        `DELETE FROM prediction_key WHERE project_id = $1 AND event_time < $2
           AND ctid IN (SELECT ctid FROM prediction_key WHERE project_id = $1 AND event_time < $2 LIMIT $3)`,
        cutoffHour.getTime(),
        (r) => (deletedKeys += r.rowCount ?? 0),
      ],
      [
        `DELETE FROM prediction_label WHERE project_id = $1 AND label_time < $2
           AND ctid IN (SELECT ctid FROM prediction_label WHERE project_id = $1 AND label_time < $2 LIMIT $3)`,
        cutoff.getTime(),
        (r) => (deletedLabels += r.rowCount ?? 0),
      ],
    ];
    for (const [sql, before, count] of deletes) {
      for (;;) {
        const r = await db.pool.query<{ event_count: number }>(sql, [p.id, new Date(before), batch]);
        count(r);
        if ((r.rowCount ?? 0) < batch) break;
      }
    }
  }
  return { droppedPartitions: dropped[0]?.n ?? 0, deletedEvents, deletedKeys, deletedLabels };
}

/** Minute profiles serve the rolling window and recent recomputes; older ones are removed. */
export async function compactProfiles(db: Db, now: number, keepMinuteDays = 2): Promise<number> {
  const r = await db.pool.query(`DELETE FROM column_profile WHERE granularity = 'minute' AND window_start < $1`, [
    new Date(now - keepMinuteDays * DAY_MS),
  ]);
  return r.rowCount ?? 0;
}
