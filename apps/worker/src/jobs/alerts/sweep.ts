import { pendingDeliveries as pendingDeliveryRows, workspacesWithEnabledRules, type Db } from '@vigil/db';

/** Workspaces with at least one enabled alert rule (the periodic evaluation covers no-data and group timers). */
export function workspacesWithRules(db: Db): Promise<string[]> {
  return workspacesWithEnabledRules(db.pool);
}

/**
 * Deliveries still pending a few seconds after they were planned: test notifications queued by
 * the web app, and any whose job was lost (Redis restarted between commit and enqueue).
 * Re-enqueueing is harmless: the job id is the delivery id.
 */
export function pendingDeliveries(db: Db, olderThanMs = 2_000, limit = 500): Promise<{ organizationId: string; deliveryId: string }[]> {
  return pendingDeliveryRows(db.pool, olderThanMs, limit);
}
