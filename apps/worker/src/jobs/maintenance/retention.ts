import type { Db } from '@vigil/db';

const DAY_MS = 86_400_000;

export interface RetentionResult {
  droppedPartitions: number;
  deletedEvents: number;
  deletedKeys: number;
}

/**
 * Applies each project's retention (days of raw events kept). Whole daily partitions older than
 * the longest retention of any project are dropped — cheap, no row deletes. Projects that keep
 * less lose their older rows by batched deletes inside the partitions that remain. The
 * idempotency keys of dropped events go with them. Metric points and hour/day profiles are kept:
 * they are the history users look at after raw events expire.
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
  for (const p of projects) {
    const cutoff = new Date(now - p.retention_days * DAY_MS);
    for (const [table, keyTable] of [
      ['prediction_event', 'prediction_key'],
      ['label_event', 'label_key'],
    ] as const) {
      for (;;) {
        const r = await db.pool.query(
          // ctid is only unique within one partition: match (tableoid, ctid), and re-check the filter.
          `DELETE FROM ${table} WHERE project_id = $1 AND event_time < $2
             AND (tableoid, ctid) IN (SELECT tableoid, ctid FROM ${table} WHERE project_id = $1 AND event_time < $2 LIMIT $3)`,
          [p.id, cutoff, batch],
        );
        deletedEvents += r.rowCount ?? 0;
        if ((r.rowCount ?? 0) < batch) break;
      }
      for (;;) {
        const r = await db.pool.query(
          `DELETE FROM ${keyTable} WHERE project_id = $1 AND event_time < $2
             AND ctid IN (SELECT ctid FROM ${keyTable} WHERE project_id = $1 AND event_time < $2 LIMIT $3)`,
          [p.id, cutoff, batch],
        );
        deletedKeys += r.rowCount ?? 0;
        if ((r.rowCount ?? 0) < batch) break;
      }
    }
  }
  return { droppedPartitions: dropped[0]?.n ?? 0, deletedEvents, deletedKeys };
}

/** Minute profiles serve the rolling window and recent recomputes; older ones are removed. */
export async function compactProfiles(db: Db, now: number, keepMinuteDays = 2): Promise<number> {
  const r = await db.pool.query(`DELETE FROM column_profile WHERE granularity = 'minute' AND window_start < $1`, [
    new Date(now - keepMinuteDays * DAY_MS),
  ]);
  return r.rowCount ?? 0;
}
