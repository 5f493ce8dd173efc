import type { WindowRecomputeJob } from '@vigil/contracts';
import { findWindowsToClose as windowsToClose, type Db } from '@vigil/db';

/**
 * Hour and day windows due for their exact (batch) computation, as recompute jobs: ended more
 * than `graceMs` ago and never closed, or changed after they were closed — by late events, or
 * by a label batch. `version` names that state of the window, for the job id: a window changed
 * again is enqueued again.
 */
export async function findWindowsToClose(db: Db, graceMs: number, limit = 500): Promise<(WindowRecomputeJob & { version: string })[]> {
  return (await windowsToClose(db.pool, graceMs, limit)).map((w) => ({ ...w, windowStart: w.windowStart.toISOString() }));
}
