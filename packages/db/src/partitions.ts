import type pg from 'pg';
import { isMissingPartition } from './errors.js';
import type { Executor } from './executor.js';

/*
 * Daily partitions of prediction_batch (functions of migration 0005): created ahead by the
 * worker and on demand by writers, dropped whole by retention.
 */

const DAY_MS = 86_400_000;
const utcDay = (ms: number) => new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);

/** Creates the daily partitions of [fromDay, toDay] (`YYYY-MM-DD`) that do not exist; returns how many were created. */
export async function ensurePartitions(q: Executor, fromDay: string, toDay: string): Promise<number> {
  const r = await q.query<{ n: number }>('SELECT vigil_ensure_partitions($1::date, $2::date) AS n', [fromDay, toDay]);
  return r.rows[0]?.n ?? 0;
}

/** Keeps daily partitions ready from the day before `now` to `aheadDays` after it. Idempotent. */
export function ensurePartitionsAround(q: Executor, now: number, aheadDays: number): Promise<number> {
  return ensurePartitions(q, utcDay(now - DAY_MS), utcDay(now + aheadDays * DAY_MS));
}

/** Drops every daily partition of a day before `beforeDay` (`YYYY-MM-DD`), with its events; returns how many. */
export async function dropPartitionsBefore(q: Executor, beforeDay: string): Promise<number> {
  const r = await q.query<{ n: number }>('SELECT vigil_drop_partitions_before($1::date) AS n', [beforeDay]);
  return r.rows[0]?.n ?? 0;
}

/** Runs a write; when an event time has no partition yet, creates the partitions of its days and retries once. */
export async function withPartitions<T>(pool: pg.Pool, times: () => number[], run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!isMissingPartition(err)) throw err;
    let min = Infinity;
    let max = -Infinity;
    for (const t of times()) {
      if (t < min) min = t;
      if (t > max) max = t;
    }
    await ensurePartitions(pool, utcDay(min), utcDay(max));
    return run();
  }
}
