import type { Db } from '@vigil/db';

const DAY_MS = 86_400_000;

function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Keeps daily event partitions ready from yesterday to `aheadDays` ahead. Idempotent. */
export async function createPartitions(db: Db, now: number, aheadDays: number): Promise<number> {
  const { rows } = await db.pool.query<{ created: number }>(
    'SELECT vigil_ensure_partitions($1::date, $2::date) AS created',
    [utcDay(now - DAY_MS), utcDay(now + aheadDays * DAY_MS)],
  );
  return rows[0]?.created ?? 0;
}
