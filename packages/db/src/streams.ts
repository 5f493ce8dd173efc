import type pg from 'pg';
import { lockForTransaction, type Executor } from './executor.js';

/*
 * Streaming progress per model version (table stream_state, migration 0003): the events of
 * transactions below `frontier` are merged into the minute, hour and day profiles. A run reads
 * the batches between the frontier and the oldest transaction still running, and moves the
 * frontier in the same transaction as its profile writes, under the version's lock.
 */

/** Serialises streaming runs of one model version across every worker process, until the transaction ends. */
export function lockStream(client: pg.PoolClient, modelVersionId: string): Promise<void> {
  return lockForTransaction(client, `stream:${modelVersionId}`);
}

/** The version's frontier ('0' before its first run). */
export async function streamFrontier(q: Executor, organizationId: string, modelVersionId: string): Promise<string> {
  const { rows } = await q.query<{ frontier: string }>(`SELECT frontier::text FROM stream_state WHERE organization_id = $1 AND model_version_id = $2`, [
    organizationId,
    modelVersionId,
  ]);
  return rows[0]?.frontier ?? '0';
}

/** The oldest transaction still running: every transaction below it has finished (committed or not). */
export async function finishedTransactionsBelow(q: Executor): Promise<string> {
  const { rows } = await q.query<{ to: string }>(`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS to`);
  return rows[0]!.to;
}

/**
 * Moves the version's frontier to `frontier`, counting the events merged on the way; `newestEvent`
 * (epoch ms, null when none was merged) moves its last event time forward.
 */
export async function advanceStream(
  q: Executor,
  organizationId: string,
  modelVersionId: string,
  frontier: string,
  merged: { events: number; newestEvent: number | null },
): Promise<void> {
  await q.query(
    `INSERT INTO stream_state (model_version_id, organization_id, frontier, events_merged, last_event_at)
     VALUES ($1, $2, $3::xid8, $4, to_timestamp($5::float8 / 1000))
     ON CONFLICT (model_version_id) DO UPDATE SET frontier = EXCLUDED.frontier,
       events_merged = stream_state.events_merged + EXCLUDED.events_merged, updated_at = now(),
       last_event_at = GREATEST(stream_state.last_event_at, EXCLUDED.last_event_at)
     WHERE stream_state.organization_id = EXCLUDED.organization_id`,
    [modelVersionId, organizationId, frontier, merged.events, merged.newestEvent],
  );
}

/** True when finished transactions wrote events of the version that are past its frontier. */
export async function hasUnmergedEvents(q: Executor, organizationId: string, modelVersionId: string): Promise<boolean> {
  const { rows } = await q.query<{ pending: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM prediction_batch b JOIN stream_state s ON s.model_version_id = b.model_version_id
       WHERE b.model_version_id = $1 AND b.organization_id = $2 AND b.xid >= s.frontier AND b.xid < pg_snapshot_xmin(pg_current_snapshot())) AS pending`,
    [modelVersionId, organizationId],
  );
  return rows[0]?.pending ?? false;
}

export interface UnmergedVersion {
  organizationId: string;
  projectId: string;
  modelId: string;
  modelVersionId: string;
}

/**
 * Model versions of every workspace with events past their frontier: the streaming sweep's
 * safety net for enqueues that failed. Cross-tenant: a scheduler's read.
 */
export async function versionsWithUnmergedEvents(q: Executor): Promise<UnmergedVersion[]> {
  const { rows } = await q.query<{ organization_id: string; project_id: string; model_id: string; id: string }>(
    `SELECT v.organization_id, v.project_id, v.model_id, v.id
     FROM model_versions v LEFT JOIN stream_state s ON s.model_version_id = v.id
     WHERE EXISTS (
       SELECT 1 FROM prediction_batch b
       WHERE b.model_version_id = v.id AND b.xid >= COALESCE(s.frontier, '0'::xid8)
         AND b.xid < pg_snapshot_xmin(pg_current_snapshot()))`,
  );
  return rows.map((r) => ({ organizationId: r.organization_id, projectId: r.project_id, modelId: r.model_id, modelVersionId: r.id }));
}
