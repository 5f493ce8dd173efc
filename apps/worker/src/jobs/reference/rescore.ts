import { listModelVersions, minuteProfileWindows, type Db } from '@vigil/db';
import { loadModelContext } from '../model-context.js';
import { refreshWindowMetrics } from '../streaming/stream-events.js';

const RESCORED_MS = 2 * 86_400_000;

/**
 * After a model's reference was rebuilt: the windows of the last two days already profiled
 * (every version, every segment) are scored against it again, from their stored profiles.
 */
export async function rescoreRecentWindows(db: Db, organizationId: string, modelId: string, now = Date.now()): Promise<number> {
  const model = await loadModelContext(db, organizationId, modelId);
  let points = 0;
  for (const v of await listModelVersions(db.forTenant(organizationId), modelId)) {
    const touched = new Map<string, Set<number>>();
    for (const w of await minuteProfileWindows(db.pool, organizationId, v.id, new Date(now - RESCORED_MS))) {
      touched.set(w.segment, (touched.get(w.segment) ?? new Set()).add(w.windowStart.getTime()));
    }
    points += await refreshWindowMetrics(db.pool, model, v.id, touched, now);
  }
  return points;
}
