import type { Executor, TenantRef } from './executor.js';

/*
 * Ground truth sent through /v1/labels: table prediction_label (migration 0005), the first
 * label per (project, prediction id) kept.
 */

export interface LabelInput {
  /** the labelled prediction's client id */
  id: string;
  /** label time, epoch ms */
  time: number;
  label: unknown;
}

/** Windows of stored predictions that received a label. */
export interface LabelledWindow {
  modelId: string;
  modelVersionId: string;
  hour: Date;
  day: Date;
}

export interface InsertLabelsResult {
  accepted: number;
  /** Windows of already stored predictions that received a label in this batch. */
  windows: LabelledWindow[];
}

/*
 * A label whose prediction is stored records that prediction's version and time at once; the
 * windows it changes are returned for recompute, and marked in window_state in the same
 * statement (labels_seq), so the scheduled close finds them even if the recompute job never
 * reaches the queue. Rows are locked in key order, so concurrent label batches cannot deadlock.
 * Others wait, unmatched, until the worker meets their prediction.
 */
const INSERT_LABELS = `
WITH r AS (
  SELECT * FROM json_to_recordset($3::json) AS r(id text, t timestamptz, l jsonb)
), ins AS (
  INSERT INTO prediction_label (project_id, prediction_id, organization_id, label, label_time, model_version_id, prediction_time)
  SELECT $2, r.id, $1, r.l, r.t, pk.model_version_id, pk.event_time
  FROM r LEFT JOIN prediction_key pk ON pk.project_id = $2 AND pk.client_id = r.id
  ON CONFLICT DO NOTHING
  RETURNING model_version_id, prediction_time
), marked AS (
  INSERT INTO window_state (model_version_id, granularity, window_start, organization_id, labels_seq)
  SELECT DISTINCT i.model_version_id, g.granularity, date_trunc(g.granularity, i.prediction_time, 'UTC'), $1, 1
  FROM ins i CROSS JOIN (VALUES ('hour'), ('day')) AS g(granularity)
  WHERE i.model_version_id IS NOT NULL
  ORDER BY 1, 2, 3
  ON CONFLICT (model_version_id, granularity, window_start) DO UPDATE SET labels_seq = window_state.labels_seq + 1
  RETURNING 1
)
SELECT (SELECT count(*) FROM ins)::int AS accepted,
       (SELECT coalesce(json_agg(w), '[]'::json) FROM (
          SELECT v.model_id AS "modelId", i.model_version_id AS "modelVersionId",
                 date_trunc('hour', i.prediction_time, 'UTC') AS hour, date_trunc('day', i.prediction_time, 'UTC') AS day
          FROM ins i JOIN model_versions v ON v.id = i.model_version_id AND v.organization_id = $1
          GROUP BY 1, 2, 3, 4) w) AS windows`;

/** Stores labels, one per (project, prediction id); ids must be unique within `rows`. */
export async function insertLabels(q: Executor, tenant: TenantRef, rows: LabelInput[]): Promise<InsertLabelsResult> {
  if (rows.length === 0) return { accepted: 0, windows: [] };
  const payload = JSON.stringify(rows.map((r) => ({ id: r.id, t: new Date(r.time).toISOString(), l: r.label })));
  const res = await q.query<{ accepted: number; windows: { modelId: string; modelVersionId: string; hour: string; day: string }[] }>({
    name: 'vigil_insert_labels',
    text: INSERT_LABELS,
    values: [tenant.organizationId, tenant.projectId, payload],
  });
  const row = res.rows[0];
  return {
    accepted: row?.accepted ?? 0,
    windows: (row?.windows ?? []).map((w) => ({ ...w, hour: new Date(w.hour), day: new Date(w.day) })),
  };
}

export interface StoredLabel {
  label: unknown;
  /** label time, epoch ms */
  time: number;
}

const ID_CHUNK = 10_000;

/**
 * The labels sent through /v1/labels for a model version's predictions with event time in
 * [from, to), by prediction id. Labels already matched to their prediction are found by
 * (version, time); labels still unmatched are looked up by the given ids (the predictions the
 * caller holds) and matched now, so the next reader finds them by time.
 */
export async function labelsForPredictions(
  q: Executor,
  tenant: TenantRef,
  modelVersionId: string,
  from: number,
  to: number,
  ids: Iterable<string>,
): Promise<Map<string, StoredLabel>> {
  const out = new Map<string, StoredLabel>();
  const matched = await q.query<{ prediction_id: string; label: unknown; label_time: Date }>({
    name: 'vigil_labels_of_window',
    text: `SELECT prediction_id, label, label_time FROM prediction_label
           WHERE model_version_id = $1 AND prediction_time >= $2 AND prediction_time < $3 AND organization_id = $4`,
    values: [modelVersionId, new Date(from), new Date(to), tenant.organizationId],
  });
  for (const r of matched.rows) out.set(r.prediction_id, { label: r.label, time: r.label_time.getTime() });
  for (const r of await matchWaitingLabels(q, tenant, ids)) out.set(r.prediction_id, { label: r.label, time: r.label_time.getTime() });
  return out;
}

/** Labels that arrived before their prediction, for the given prediction ids: recorded as matched and returned. */
async function matchWaitingLabels(q: Executor, tenant: TenantRef, ids: Iterable<string>): Promise<{ prediction_id: string; label: unknown; label_time: Date }[]> {
  const waiting = await q.query<{ any: boolean }>({
    name: 'vigil_labels_waiting',
    text: `SELECT EXISTS (SELECT 1 FROM prediction_label WHERE project_id = $1 AND model_version_id IS NULL) AS any`,
    values: [tenant.projectId],
  });
  if (!waiting.rows[0]?.any) return [];
  const all = [...ids];
  const out: { prediction_id: string; label: unknown; label_time: Date }[] = [];
  for (let i = 0; i < all.length; i += ID_CHUNK) {
    const { rows } = await q.query<{ prediction_id: string; label: unknown; label_time: Date }>({
      name: 'vigil_match_waiting_labels',
      text: `UPDATE prediction_label l SET model_version_id = pk.model_version_id, prediction_time = pk.event_time
             FROM prediction_key pk
             WHERE l.project_id = $1 AND l.organization_id = $3 AND l.model_version_id IS NULL AND l.prediction_id = ANY($2::text[])
               AND pk.project_id = l.project_id AND pk.client_id = l.prediction_id
             RETURNING l.prediction_id, l.label, l.label_time`,
      values: [tenant.projectId, all.slice(i, i + ID_CHUNK), tenant.organizationId],
    });
    out.push(...rows);
  }
  return out;
}
