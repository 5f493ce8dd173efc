import type { Executor } from './executor.js';
import type { ProfileGranularity } from './profiles.js';
import type { TenantDb } from './tenant.js';

/*
 * Estimates (CBPE, PCA reconstruction error): the estimators fitted on a reference
 * (reference_datasets.estimator) and the mergeable per-window sums (table estimate_state). This
 * module stores and reads their JSON forms only; packages/metrics defines and merges them.
 */

/** The estimator fitted with a reference's profile (null: none, or not built yet). */
export async function referenceEstimator(t: TenantDb, referenceDatasetId: string): Promise<unknown> {
  return (await t.referenceDataset.findUnique({ where: { id: referenceDatasetId }, select: { estimator: true } }))?.estimator ?? null;
}

/** Which window's estimate sums: one model version's window of one granularity in one segment. */
export interface EstimateStateKey {
  granularity: ProfileGranularity;
  windowStart: number;
  segment: string;
}

export interface EstimateStateOwner {
  organizationId: string;
  projectId: string;
  modelId: string;
  modelVersionId: string;
}

/** The stored sums of the given windows that exist. */
export async function loadEstimateStates(
  q: Executor,
  owner: Pick<EstimateStateOwner, 'organizationId' | 'modelVersionId'>,
  keys: readonly EstimateStateKey[],
): Promise<{ key: EstimateStateKey; state: unknown }[]> {
  if (keys.length === 0) return [];
  const { rows } = await q.query<{ granularity: ProfileGranularity; window_start: Date; segment: string; state: unknown }>(
    `SELECT granularity, window_start, segment, state FROM estimate_state
     WHERE model_version_id = $1 AND organization_id = $2 AND (granularity, window_start, segment) IN (
       SELECT * FROM unnest($3::text[], $4::timestamptz[], $5::text[]))`,
    [owner.modelVersionId, owner.organizationId, keys.map((k) => k.granularity), keys.map((k) => new Date(k.windowStart).toISOString()), keys.map((k) => k.segment)],
  );
  return rows.map((r) => ({ key: { granularity: r.granularity, windowStart: r.window_start.getTime(), segment: r.segment }, state: r.state }));
}

/** Creates or replaces the sums of each window, in one statement. */
export async function upsertEstimateStates(q: Executor, owner: EstimateStateOwner, items: readonly { key: EstimateStateKey; events: number; state: unknown }[]): Promise<void> {
  if (items.length === 0) return;
  const rows = JSON.stringify(items.map(({ key, events, state }) => ({ g: key.granularity, w: key.windowStart, s: key.segment, n: events, p: state })));
  await q.query(
    `INSERT INTO estimate_state (organization_id, project_id, model_id, model_version_id, granularity, window_start, segment, state, event_count)
     SELECT $1, $2, $3, $4, r.g, to_timestamp(r.w / 1000.0), r.s, r.p, r.n
     FROM json_to_recordset($5::json) AS r(g text, w float8, s text, p jsonb, n bigint)
     ON CONFLICT (model_version_id, segment, granularity, window_start)
     DO UPDATE SET state = EXCLUDED.state, event_count = EXCLUDED.event_count, updated_at = now()
     WHERE estimate_state.organization_id = EXCLUDED.organization_id`,
    [owner.organizationId, owner.projectId, owner.modelId, owner.modelVersionId, rows],
  );
}

/** The stored sums of a version's windows of one granularity and segment starting in [from, to), oldest first. */
export async function estimateStatesInRange(
  q: Executor,
  s: { organizationId: string; modelVersionId: string; granularity: ProfileGranularity; segment: string; from: Date; to: Date },
): Promise<{ windowStart: number; state: unknown }[]> {
  const { rows } = await q.query<{ window_start: Date; state: unknown }>(
    `SELECT window_start, state FROM estimate_state
     WHERE model_version_id = $1 AND granularity = $2 AND segment = $3 AND window_start >= $4 AND window_start < $5 AND organization_id = $6
     ORDER BY window_start`,
    [s.modelVersionId, s.granularity, s.segment, s.from, s.to, s.organizationId],
  );
  return rows.map((r) => ({ windowStart: r.window_start.getTime(), state: r.state }));
}

/** Removes minute sums of every workspace older than `before` (hour and day sums stay), as for profiles. Returns how many. */
export async function deleteMinuteEstimateStatesBefore(q: Executor, before: Date): Promise<number> {
  const r = await q.query(`DELETE FROM estimate_state WHERE granularity = 'minute' AND window_start < $1`, [before]);
  return r.rowCount ?? 0;
}
