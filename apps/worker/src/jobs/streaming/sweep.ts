import { versionsWithUnmergedEvents, type Db, type UnmergedVersion } from '@vigil/db';

export type PendingVersion = UnmergedVersion;

/**
 * Model versions with events past their streaming frontier. A safety net: ingest enqueues a
 * job after every commit, but an enqueue can fail (Redis restarting) or coincide with a run
 * that is just finishing; the sweep finds such versions so no event waits for the batch close.
 */
export function findPendingVersions(db: Db): Promise<PendingVersion[]> {
  return versionsWithUnmergedEvents(db.pool);
}
