import type pg from 'pg';

/** Cluster-wide health of alerting for operators (`/metrics`): counts only, no tenant data. */
export interface AlertingStats {
  /** Alert instances by state (ok, pending, firing, resolved, nodata). */
  alertsByState: Record<string, number>;
  /** Notification deliveries waiting to be sent or retried. */
  pendingDeliveries: number;
  /** Age of the oldest of them, seconds (0 when none): grows when delivery is stuck. */
  oldestPendingDeliverySeconds: number;
  /** Deliveries planned in the last 24 h that gave up after every retry. */
  failedDeliveries24h: number;
}

export async function alertingStats(pool: pg.Pool): Promise<AlertingStats> {
  const { rows } = await pool.query<{ states: Record<string, number> | null; pending: number; oldest: number; failed: number }>({
    name: 'vigil_alerting_stats',
    text: `SELECT (SELECT json_object_agg(state, n) FROM (SELECT state, count(*)::int AS n FROM alerts GROUP BY state) s) AS states,
                  (SELECT count(*)::int FROM notification_deliveries WHERE status = 'pending') AS pending,
                  (SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 FROM notification_deliveries WHERE status = 'pending') AS oldest,
                  (SELECT count(*)::int FROM notification_deliveries WHERE status = 'failed' AND created_at > now() - interval '24 hours') AS failed`,
  });
  const r = rows[0]!;
  return { alertsByState: r.states ?? {}, pendingDeliveries: r.pending, oldestPendingDeliverySeconds: r.oldest, failedDeliveries24h: r.failed };
}
