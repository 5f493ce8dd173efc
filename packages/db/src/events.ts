import type pg from 'pg';
import { isMissingPartition } from './errors.js';

/** The tenant every raw-SQL write is made for; always passed explicitly. */
export interface TenantRef {
  organizationId: string;
  projectId: string;
}

/** A validated prediction ready for storage. Short keys keep the one JSON parameter small. */
export interface PredictionRow {
  /** model id */
  m: string;
  /** model version id */
  v: string;
  /** client id */
  id: string;
  /** event time, ISO-8601 */
  t: string;
  /** features */
  f: unknown;
  /** prediction */
  p: unknown;
  /** scores */
  s?: unknown;
  /** tags */
  g?: unknown;
  /** inline label */
  l?: unknown;
}

export interface LabelRow {
  /** prediction (client) id */
  id: string;
  /** label time, ISO-8601 */
  t: string;
  l: unknown;
}

/** Newly stored predictions per (model version, minute): what the streaming worker must merge. */
export interface InsertedWindow {
  modelId: string;
  modelVersionId: string;
  minute: Date;
  count: number;
}

export interface InsertPredictionsResult {
  accepted: number;
  windows: InsertedWindow[];
}

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
 * One statement per batch: the key table decides which ids are new (ON CONFLICT DO NOTHING
 * across all partitions), and only those rows reach the partitioned event table. Labels that
 * arrived before their prediction are joined in the same statement.
 */
const INSERT_PREDICTIONS = `
WITH r AS (
  SELECT * FROM json_to_recordset($3::json)
    AS r(m text, v text, id text, t timestamptz, f jsonb, p jsonb, s jsonb, g jsonb, l jsonb)
), k AS (
  INSERT INTO prediction_key (project_id, client_id, organization_id, model_version_id, event_time)
  SELECT $2, r.id, $1, r.v, r.t FROM r
  ON CONFLICT DO NOTHING
  RETURNING client_id
), ins AS (
  INSERT INTO prediction_event
    (organization_id, project_id, model_id, model_version_id, client_id, event_time,
     features, prediction, scores, tags, label, label_time)
  SELECT $1, $2, r.m, r.v, r.id, r.t, r.f, r.p, r.s, r.g,
         COALESCE(r.l, le.label),
         CASE WHEN r.l IS NOT NULL THEN r.t ELSE le.event_time END
  FROM r
  JOIN k ON k.client_id = r.id
  LEFT JOIN label_key lk ON lk.project_id = $2 AND lk.prediction_id = r.id
  LEFT JOIN label_event le
    ON le.project_id = $2 AND le.prediction_id = lk.prediction_id AND le.event_time = lk.event_time
  RETURNING model_id, model_version_id, event_time
)
SELECT model_id, model_version_id, date_trunc('minute', event_time) AS minute, count(*)::int AS n
FROM ins GROUP BY 1, 2, 3`;

/*
 * Labels: the label key dedups per (project, prediction id); a label whose prediction is
 * already stored is copied onto it, and the touched windows are returned for recompute.
 */
const INSERT_LABELS = `
WITH r AS (
  SELECT * FROM json_to_recordset($3::json) AS r(id text, t timestamptz, l jsonb)
), k AS (
  INSERT INTO label_key (project_id, prediction_id, organization_id, event_time)
  SELECT $2, r.id, $1, r.t FROM r
  ON CONFLICT DO NOTHING
  RETURNING prediction_id
), e AS (
  INSERT INTO label_event (organization_id, project_id, prediction_id, event_time, label)
  SELECT $1, $2, r.id, r.t, r.l FROM r JOIN k ON k.prediction_id = r.id
  RETURNING prediction_id
), u AS (
  UPDATE prediction_event pe SET label = r.l, label_time = r.t
  FROM r
  JOIN k ON k.prediction_id = r.id
  JOIN prediction_key pk ON pk.project_id = $2 AND pk.client_id = r.id
  WHERE pe.project_id = $2 AND pe.client_id = pk.client_id AND pe.event_time = pk.event_time
  RETURNING pe.model_id, pe.model_version_id, pe.event_time
)
SELECT (SELECT count(*) FROM e)::int AS accepted,
       (SELECT coalesce(json_agg(w), '[]'::json) FROM (
          SELECT model_id AS "modelId", model_version_id AS "modelVersionId",
                 date_trunc('hour', event_time, 'UTC') AS hour, date_trunc('day', event_time, 'UTC') AS day
          FROM u GROUP BY 1, 2, 3, 4) w) AS windows`;

const DAY_MS = 86_400_000;

function dayRange(times: string[]): [string, string] {
  let min = Infinity;
  let max = -Infinity;
  for (const t of times) {
    const ms = Date.parse(t);
    if (ms < min) min = ms;
    if (ms > max) max = ms;
  }
  const day = (ms: number) => new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
  return [day(min), day(max)];
}

export async function ensurePartitions(pool: pg.Pool, fromDay: string, toDay: string): Promise<number> {
  const r = await pool.query<{ n: number }>('SELECT vigil_ensure_partitions($1::date, $2::date) AS n', [fromDay, toDay]);
  return r.rows[0]?.n ?? 0;
}

/** Runs a write; when an event time has no partition yet, creates the partitions of its days and retries once. */
async function withPartitions<T>(pool: pg.Pool, times: () => string[], run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!isMissingPartition(err)) throw err;
    const [from, to] = dayRange(times());
    await ensurePartitions(pool, from, to);
    return run();
  }
}

/**
 * Stores a batch of predictions with exactly-once semantics per (project, client id): the
 * result counts rows that were new. Ids must be unique within `rows` (callers count repeats
 * inside one request as duplicates themselves). Resolves only after the statement committed.
 */
export async function insertPredictions(pool: pg.Pool, tenant: TenantRef, rows: PredictionRow[]): Promise<InsertPredictionsResult> {
  if (rows.length === 0) return { accepted: 0, windows: [] };
  const payload = JSON.stringify(rows);
  const res = await withPartitions(
    pool,
    () => rows.map((r) => r.t),
    () =>
      pool.query<{ model_id: string; model_version_id: string; minute: Date; n: number }>({
        name: 'vigil_insert_predictions',
        text: INSERT_PREDICTIONS,
        values: [tenant.organizationId, tenant.projectId, payload],
      }),
  );
  let accepted = 0;
  const windows = res.rows.map((r) => {
    accepted += r.n;
    return { modelId: r.model_id, modelVersionId: r.model_version_id, minute: r.minute, count: r.n };
  });
  return { accepted, windows };
}

/** Stores a batch of labels, one per (project, prediction id); ids must be unique within `rows`. */
export async function insertLabels(pool: pg.Pool, tenant: TenantRef, rows: LabelRow[]): Promise<InsertLabelsResult> {
  if (rows.length === 0) return { accepted: 0, windows: [] };
  const payload = JSON.stringify(rows);
  const res = await withPartitions(
    pool,
    () => rows.map((r) => r.t),
    () =>
      pool.query<{ accepted: number; windows: { modelId: string; modelVersionId: string; hour: string; day: string }[] }>({
        name: 'vigil_insert_labels',
        text: INSERT_LABELS,
        values: [tenant.organizationId, tenant.projectId, payload],
      }),
  );
  const row = res.rows[0];
  return {
    accepted: row?.accepted ?? 0,
    windows: (row?.windows ?? []).map((w) => ({ ...w, hour: new Date(w.hour), day: new Date(w.day) })),
  };
}
