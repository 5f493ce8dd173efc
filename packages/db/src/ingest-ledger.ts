import type { Executor, TenantRef } from './executor.js';

/**
 * What one project's ingest path holds, counted end to end: the fault drills compare these
 * counts with what the SDK had acknowledged ("every acknowledged event stored once and merged
 * once"), and operators can read them to check a project after an incident.
 */
export interface IngestLedger {
  /** Events stored (the sum over the project's stored batches). */
  storedEvents: number;
  /** Distinct prediction ids stored: equal to `storedEvents` when no event was stored twice. */
  distinctIds: number;
  /** Events the streaming path merged into profiles, over every version of the project. */
  mergedEvents: number;
  /** Events in the project's hour profiles of the prediction (whole population): each merged event is in exactly one. */
  hourProfileEvents: number;
}

export async function ingestLedger(q: Executor, tenant: TenantRef): Promise<IngestLedger> {
  const { rows } = await q.query<{ stored: string; ids: string; merged: string; profiled: string }>(
    `SELECT (SELECT coalesce(sum(event_count), 0) FROM prediction_batch WHERE organization_id = $1 AND project_id = $2)::text AS stored,
            (SELECT count(*) FROM prediction_key k JOIN projects p ON p.id = k.project_id WHERE p.organization_id = $1 AND k.project_id = $2)::text AS ids,
            (SELECT coalesce(sum(s.events_merged), 0) FROM stream_state s JOIN model_versions v ON v.id = s.model_version_id
              WHERE s.organization_id = $1 AND v.project_id = $2)::text AS merged,
            (SELECT coalesce(sum(event_count), 0) FROM column_profile
              WHERE organization_id = $1 AND project_id = $2 AND granularity = 'hour' AND role = 'prediction' AND column_name = 'prediction' AND segment = '')::text AS profiled`,
    [tenant.organizationId, tenant.projectId],
  );
  const r = rows[0]!;
  return { storedEvents: Number(r.stored), distinctIds: Number(r.ids), mergedEvents: Number(r.merged), hourProfileEvents: Number(r.profiled) };
}
