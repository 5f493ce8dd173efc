import type { Db } from '@vigil/db';

/** Workspaces with at least one enabled alert rule (the periodic evaluation covers no-data and group timers). */
export async function workspacesWithRules(db: Db): Promise<string[]> {
  const { rows } = await db.pool.query<{ organization_id: string }>(`SELECT DISTINCT organization_id FROM alert_rules WHERE enabled`);
  return rows.map((r) => r.organization_id);
}

/**
 * Deliveries still pending a few seconds after they were planned: test notifications queued by
 * the web app, and any whose job was lost (Redis restarted between commit and enqueue).
 * Re-enqueueing is harmless: the job id is the delivery id.
 */
export async function pendingDeliveries(db: Db, olderThanMs = 2_000, limit = 500): Promise<{ organizationId: string; deliveryId: string }[]> {
  const { rows } = await db.pool.query<{ organization_id: string; id: string }>(
    `SELECT organization_id, id FROM notification_deliveries
     WHERE status = 'pending' AND created_at < now() - $1 * interval '1 millisecond'
     ORDER BY created_at LIMIT $2`,
    [olderThanMs, limit],
  );
  return rows.map((r) => ({ organizationId: r.organization_id, deliveryId: r.id }));
}
