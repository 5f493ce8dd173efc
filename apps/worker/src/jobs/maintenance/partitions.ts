import { ensurePartitionsAround, type Db } from '@vigil/db';

/** Keeps daily event partitions ready from yesterday to `aheadDays` ahead. Idempotent. */
export function createPartitions(db: Db, now: number, aheadDays: number): Promise<number> {
  return ensurePartitionsAround(db.pool, now, aheadDays);
}
