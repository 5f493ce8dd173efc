import { eventTimeMs } from '@vigil/contracts';
import type pg from 'pg';
import { isMissingPartition, isUniqueViolation } from './errors.js';

/*
 * Stored predictions: one `prediction_key` row per (project, client id), which makes every id
 * count once, and one `prediction_batch` row per (ingest request, model version, UTC hour)
 * holding that request's new events of the hour (migration 0005 says why). This file is the one
 * place that knows how a batch is encoded; everything else reads `StoredPrediction`s.
 */

/** The tenant every raw-SQL write is made for; always passed explicitly. */
export interface TenantRef {
  organizationId: string;
  projectId: string;
}

/** A validated prediction ready for storage. */
export interface PredictionInput {
  modelId: string;
  modelVersionId: string;
  /** client id: the idempotency key */
  id: string;
  /** event time, epoch ms */
  time: number;
  features: Record<string, unknown>;
  prediction: unknown;
  scores?: unknown;
  tags?: Record<string, string>;
  /** ground truth given with the prediction */
  label?: unknown;
}

/** A stored prediction as read back. */
export interface StoredPrediction {
  id: string;
  /** event time, epoch ms */
  time: number;
  features: Record<string, unknown>;
  prediction: unknown;
  scores: number | Record<string, unknown> | null;
  tags: Record<string, string> | null;
  /** the label given inline with the prediction, or null (labels sent later: `labelsForPredictions`) */
  label: unknown;
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

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

// ───────────── encoding (1) ─────────────

/** A batch's events as one JSON array of [id, time, features, prediction, scores, tags, label]. */
export function encodeBatch(events: readonly PredictionInput[]): string {
  let out = '[';
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (i > 0) out += ',';
    out += JSON.stringify([e.id, e.time, e.features, e.prediction, e.scores ?? null, e.tags ?? null, e.label ?? null]);
  }
  return out + ']';
}

type Tuple = [string, number, Record<string, unknown>, unknown, StoredPrediction['scores'], StoredPrediction['tags'], unknown];

/** An item of a request body stored as it arrived (encoding 2), already validated at ingest. */
interface ReceivedItem {
  id: string;
  timestamp?: string | number;
  features: Record<string, unknown>;
  prediction: unknown;
  scores?: StoredPrediction['scores'];
  tags?: StoredPrediction['tags'];
  label?: unknown;
}

/** Decodes a stored batch; `receivedAt` (epoch ms) is the batch's received_at. */
export function decodeBatch(text: string, encoding = 1, receivedAt = 0): StoredPrediction[] {
  if (encoding === 1) {
    const tuples = JSON.parse(text) as Tuple[];
    const out = new Array<StoredPrediction>(tuples.length);
    for (let i = 0; i < tuples.length; i++) {
      const t = tuples[i]!;
      out[i] = { id: t[0], time: t[1], features: t[2], prediction: t[3], scores: t[4], tags: t[5], label: t[6] };
    }
    return out;
  }
  if (encoding === 2) {
    const items = (JSON.parse(text) as { predictions: ReceivedItem[] }).predictions;
    const out = new Array<StoredPrediction>(items.length);
    for (let i = 0; i < items.length; i++) {
      const it = items[i]!;
      out[i] = {
        id: it.id,
        time: eventTimeMs(it.timestamp, receivedAt),
        features: it.features,
        prediction: it.prediction,
        scores: it.scores ?? null,
        tags: it.tags ?? null,
        label: it.label ?? null,
      };
    }
    return out;
  }
  throw new Error(`prediction batch encoding ${encoding} is not known to this version of Vigil`);
}

// ───────────── writes ─────────────

export interface Batch {
  tenant: TenantRef;
  modelId: string;
  modelVersionId: string;
  hour: number;
  events: PredictionInput[];
  /** epoch ms recorded as the batch's received_at */
  receivedAt: number;
  /** the request body, when the batch holds every item of it (stored as is: encoding 2) */
  body?: ReceivedBody;
}

/**
 * A request body as it arrived. When each of its items is one new event and they make a single
 * batch, the body itself is stored (encoding 2): re-serializing the events would cost the API
 * as much CPU as parsing them did.
 */
export interface ReceivedBody {
  /** the JSON text of `{ "predictions": [...] }` */
  text: string;
  /** epoch ms the items' missing timestamps were resolved to */
  receivedAt: number;
}

const floorTo = (ms: number, unit: number) => ms - (((ms % unit) + unit) % unit);

/** Rows grouped by (model version, UTC hour); keyed by nested maps, as this runs once per event. */
export function batchesOf(tenant: TenantRef, rows: readonly PredictionInput[], receivedAt: number, body?: ReceivedBody): Batch[] {
  const out: Batch[] = [];
  const byVersion = new Map<string, Map<number, Batch>>();
  for (const r of rows) {
    const hour = floorTo(r.time, HOUR_MS);
    let hours = byVersion.get(r.modelVersionId);
    if (!hours) byVersion.set(r.modelVersionId, (hours = new Map()));
    let b = hours.get(hour);
    if (!b) {
      hours.set(hour, (b = { tenant, modelId: r.modelId, modelVersionId: r.modelVersionId, hour, events: [], receivedAt }));
      out.push(b);
    }
    b.events.push(r);
  }
  if (body && out.length === 1) out[0]!.body = body;
  return out;
}

export function windowsOf(rows: readonly PredictionInput[]): InsertedWindow[] {
  const out: InsertedWindow[] = [];
  const byVersion = new Map<string, Map<number, InsertedWindow>>();
  for (const r of rows) {
    const minute = floorTo(r.time, MINUTE_MS);
    let minutes = byVersion.get(r.modelVersionId);
    if (!minutes) byVersion.set(r.modelVersionId, (minutes = new Map()));
    const w = minutes.get(minute);
    if (w) w.count++;
    else {
      const fresh = { modelId: r.modelId, modelVersionId: r.modelVersionId, minute: new Date(minute), count: 1 };
      minutes.set(minute, fresh);
      out.push(fresh);
    }
  }
  return out;
}

/*
 * Array parameters are written as Postgres array literals here: pg's own encoder runs two
 * regular-expression replaces per element, a visible cost at ingest rates.
 */
function textArray(values: readonly string[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (i > 0) out += ',';
    out += v.includes('"') || v.includes('\\') ? `"${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"` : `"${v}"`;
  }
  return out + '}';
}

const numberArray = (values: readonly number[]): string => `{${values.join(',')}}`;

// Times travel as epoch milliseconds (float8 holds them exactly) and become timestamps in SQL.
const KEY_COLUMNS = 'INSERT INTO prediction_key (project_id, client_id, model_version_id, event_time)';
const BATCH_COLUMNS = 'INSERT INTO prediction_batch (organization_id, project_id, model_id, model_version_id, hour, event_count, events';

/*
 * Batches are passed as scalar parameters — a 30 KB batch inside an array parameter would be
 * escaped character by character — each with the ids and times of its keys. A statement
 * carries one request's batches, or those of several requests written together (see
 * PredictionWriter); beyond MAX_SCALAR_BATCHES, arrays are used.
 */
export const MAX_SCALAR_BATCHES = 64;
/** Per batch: organization, project, model, version, hour, event count, events, encoding, received at — then, with keys, their ids and times. */
const paramsPerBatch = (keys: boolean) => (keys ? 11 : 9);

function scalarBatches(batches: readonly Batch[], keys: boolean): unknown[] {
  const values: unknown[] = [];
  for (const b of batches) {
    values.push(
      b.tenant.organizationId,
      b.tenant.projectId,
      b.modelId,
      b.modelVersionId,
      b.hour,
      b.events.length,
      b.body ? b.body.text : encodeBatch(b.events),
      b.body ? 2 : 1,
      b.receivedAt,
    );
    if (keys) values.push(textArray(b.events.map((e) => e.id)), numberArray(b.events.map((e) => e.time)));
  }
  return values;
}

/** The statement writing `count` scalar batches, with their keys when `keys`. */
const scalarSql = (count: number, keys: boolean): string => {
  const batch = (i: number) => 1 + i * paramsPerBatch(keys);
  const rows = Array.from({ length: count }, (_, i) => {
    const p = batch(i);
    return `($${p}, $${p + 1}, $${p + 2}, $${p + 3}, to_timestamp($${p + 4}::float8 / 1000), $${p + 5}::int, $${p + 6}, $${p + 7}::smallint, to_timestamp($${p + 8}::float8 / 1000))`;
  });
  const insertBatches = `${BATCH_COLUMNS}, encoding, received_at) VALUES ${rows.join(', ')}`;
  if (!keys) return insertBatches;
  const keySelects = Array.from({ length: count }, (_, i) => {
    const p = batch(i);
    return `SELECT $${p + 1}, r.id, $${p + 3}, to_timestamp(r.t / 1000) FROM unnest($${p + 9}::text[], $${p + 10}::float8[]) AS r(id, t)`;
  });
  return `WITH k AS (${KEY_COLUMNS} ${keySelects.join(' UNION ALL ')}) ${insertBatches}`;
};

const KEYS_FROM_ARRAYS = `SELECT r.p, r.id, r.v, to_timestamp(r.t / 1000) FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[]) AS r(p, id, v, t)`;

function arrayBatches(batches: readonly Batch[]): string[] {
  return [
    textArray(batches.map((b) => b.tenant.organizationId)),
    textArray(batches.map((b) => b.tenant.projectId)),
    textArray(batches.map((b) => b.modelId)),
    textArray(batches.map((b) => b.modelVersionId)),
    numberArray(batches.map((b) => b.hour)),
    numberArray(batches.map((b) => b.events.length)),
    textArray(batches.map((b) => encodeBatch(b.events))),
  ];
}

const batchesFromArrays = (first: number) =>
  `${BATCH_COLUMNS}) SELECT b.o, b.p, b.m, b.v, to_timestamp(b.h / 1000), b.n, b.e
   FROM unnest($${first}::text[], $${first + 1}::text[], $${first + 2}::text[], $${first + 3}::text[], $${first + 4}::float8[], $${first + 5}::int[], $${first + 6}::text[])
     AS b(o, p, m, v, h, n, e)`;

/** The statement that writes `batches` (and their keys, when `keys`) as one query. */
export function writeQuery(batches: readonly Batch[], keys: boolean): pg.QueryConfig {
  if (batches.length <= MAX_SCALAR_BATCHES) {
    return {
      name: `vigil_write_predictions_${keys ? 'k' : 'b'}${batches.length}`,
      text: scalarSql(batches.length, keys),
      values: scalarBatches(batches, keys),
    };
  }
  if (!keys) return { name: 'vigil_write_predictions_bn', text: batchesFromArrays(1), values: arrayBatches(batches) };
  const keyArrays = keyArraysOf(batches);
  return {
    name: 'vigil_write_predictions_kn',
    // The batch arrays follow the key arrays' parameters.
    text: `WITH k AS (${KEY_COLUMNS} ${KEYS_FROM_ARRAYS}) ${batchesFromArrays(keyArrays.length + 1)}`,
    values: [...keyArrays, ...arrayBatches(batches)],
  };
}

/** Key arrays of batches that may belong to several tenants. */
function keyArraysOf(batches: readonly Batch[]): string[] {
  const projects: string[] = [];
  const ids: string[] = [];
  const versions: string[] = [];
  const times: number[] = [];
  for (const b of batches) {
    for (const e of b.events) {
      projects.push(b.tenant.projectId);
      ids.push(e.id);
      versions.push(e.modelVersionId);
      times.push(e.time);
    }
  }
  return [textArray(projects), textArray(ids), textArray(versions), numberArray(times)];
}

/*
 * The common case, every id new, is one statement: keys and batches. A plain insert, not ON
 * CONFLICT: an id already stored (a retry, or the same batch sent twice at once) raises a unique
 * violation, the statement writes nothing, and the careful path below runs instead.
 */
const INSERT_KEYS_SKIPPING_DUPLICATES = `${KEY_COLUMNS} ${KEYS_FROM_ARRAYS} ON CONFLICT DO NOTHING RETURNING client_id`;

function dayRange(times: number[]): [string, string] {
  let min = Infinity;
  let max = -Infinity;
  for (const t of times) {
    if (t < min) min = t;
    if (t > max) max = t;
  }
  const day = (ms: number) => new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
  return [day(min), day(max)];
}

export async function ensurePartitions(pool: pg.Pool | pg.PoolClient, fromDay: string, toDay: string): Promise<number> {
  const r = await pool.query<{ n: number }>('SELECT vigil_ensure_partitions($1::date, $2::date) AS n', [fromDay, toDay]);
  return r.rows[0]?.n ?? 0;
}

/** Runs a write; when an event time has no partition yet, creates the partitions of its days and retries once. */
export async function withPartitions<T>(pool: pg.Pool, times: () => number[], run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!isMissingPartition(err)) throw err;
    const [from, to] = dayRange(times());
    await ensurePartitions(pool, from, to);
    return run();
  }
}

export interface InsertPredictionsOptions {
  /** The request body the rows came from, when each of its items is one of `rows` (and nothing else). */
  body?: ReceivedBody;
  /** Receive time recorded on the batches (epoch ms); default: now. */
  receivedAt?: number;
}

/**
 * Stores predictions with exactly-once semantics per (project, client id): the result counts
 * the ones that were new. Ids must be unique within `rows` (callers count repeats inside one
 * request as duplicates themselves). Resolves only after the write committed.
 */
export async function insertPredictions(
  pool: pg.Pool,
  tenant: TenantRef,
  rows: PredictionInput[],
  opts: InsertPredictionsOptions = {},
): Promise<InsertPredictionsResult> {
  if (rows.length === 0) return { accepted: 0, windows: [] };
  const times = () => rows.map((r) => r.time);
  const receivedAt = opts.body?.receivedAt ?? opts.receivedAt ?? Date.now();
  try {
    await withPartitions(pool, times, () => insertNewPredictions(pool, tenant, rows, { ...opts, receivedAt }));
    return { accepted: rows.length, windows: windowsOf(rows) };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
  }
  const stored = await withPartitions(pool, times, () => insertSkippingDuplicates(pool, tenant, rows, receivedAt));
  return { accepted: stored.length, windows: windowsOf(stored) };
}

/**
 * Stores predictions whose ids are all new, in one statement (on `q`, which may be a client
 * inside the caller's transaction); an id already stored fails it with a unique violation and
 * nothing is written. The partitions of the events' days must exist.
 */
export async function insertNewPredictions(
  q: pg.Pool | pg.PoolClient,
  tenant: TenantRef,
  rows: PredictionInput[],
  opts: InsertPredictionsOptions = {},
): Promise<void> {
  if (rows.length === 0) return;
  await q.query(writeQuery(batchesOf(tenant, rows, opts.body?.receivedAt ?? opts.receivedAt ?? Date.now(), opts.body), true));
}

/** Keys first (ON CONFLICT DO NOTHING says which ids are new), then batches of the new ones, in one transaction. */
async function insertSkippingDuplicates(pool: pg.Pool, tenant: TenantRef, rows: PredictionInput[], receivedAt: number): Promise<PredictionInput[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows: fresh } = await client.query<{ client_id: string }>({
      name: 'vigil_insert_prediction_keys',
      text: INSERT_KEYS_SKIPPING_DUPLICATES,
      values: keyArraysOf(batchesOf(tenant, rows, receivedAt)),
    });
    const isNew = new Set(fresh.map((r) => r.client_id));
    const stored = rows.filter((r) => isNew.has(r.id));
    if (stored.length > 0) await client.query(writeQuery(batchesOf(tenant, stored, receivedAt), false));
    await client.query('COMMIT');
    return stored;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

// ───────────── labels ─────────────

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
 * The first label per (project, prediction id) is kept. A label whose prediction is stored
 * records that prediction's version and time at once; the windows it changes are returned for
 * recompute, and marked in window_state in the same statement (labels_seq), so the scheduled
 * close finds them even if the recompute job never reaches the queue. Rows are locked in key
 * order, so concurrent label batches cannot deadlock. Others wait, unmatched, until the worker
 * meets their prediction.
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
          FROM ins i JOIN model_versions v ON v.id = i.model_version_id
          GROUP BY 1, 2, 3, 4) w) AS windows`;

/** Stores labels, one per (project, prediction id); ids must be unique within `rows`. */
export async function insertLabels(pool: pg.Pool | pg.PoolClient, tenant: TenantRef, rows: LabelInput[]): Promise<InsertLabelsResult> {
  if (rows.length === 0) return { accepted: 0, windows: [] };
  const payload = JSON.stringify(rows.map((r) => ({ id: r.id, t: new Date(r.time).toISOString(), l: r.label })));
  const res = await pool.query<{ accepted: number; windows: { modelId: string; modelVersionId: string; hour: string; day: string }[] }>({
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
  q: pg.Pool | pg.PoolClient,
  projectId: string,
  modelVersionId: string,
  from: number,
  to: number,
  ids: Iterable<string>,
): Promise<Map<string, StoredLabel>> {
  const out = new Map<string, StoredLabel>();
  const matched = await q.query<{ prediction_id: string; label: unknown; label_time: Date }>({
    name: 'vigil_labels_of_window',
    text: `SELECT prediction_id, label, label_time FROM prediction_label
           WHERE model_version_id = $1 AND prediction_time >= $2 AND prediction_time < $3`,
    values: [modelVersionId, new Date(from), new Date(to)],
  });
  for (const r of matched.rows) out.set(r.prediction_id, { label: r.label, time: r.label_time.getTime() });
  for (const r of await matchWaitingLabels(q, projectId, ids)) out.set(r.prediction_id, { label: r.label, time: r.label_time.getTime() });
  return out;
}

/** Labels that arrived before their prediction, for the given prediction ids: recorded as matched and returned. */
async function matchWaitingLabels(
  q: pg.Pool | pg.PoolClient,
  projectId: string,
  ids: Iterable<string>,
): Promise<{ prediction_id: string; label: unknown; label_time: Date }[]> {
  const waiting = await q.query<{ any: boolean }>({
    name: 'vigil_labels_waiting',
    text: `SELECT EXISTS (SELECT 1 FROM prediction_label WHERE project_id = $1 AND model_version_id IS NULL) AS any`,
    values: [projectId],
  });
  if (!waiting.rows[0]?.any) return [];
  const all = [...ids];
  const out: { prediction_id: string; label: unknown; label_time: Date }[] = [];
  for (let i = 0; i < all.length; i += ID_CHUNK) {
    const { rows } = await q.query<{ prediction_id: string; label: unknown; label_time: Date }>({
      name: 'vigil_match_waiting_labels',
      text: `UPDATE prediction_label l SET model_version_id = pk.model_version_id, prediction_time = pk.event_time
             FROM prediction_key pk
             WHERE l.project_id = $1 AND l.model_version_id IS NULL AND l.prediction_id = ANY($2::text[])
               AND pk.project_id = l.project_id AND pk.client_id = l.prediction_id
             RETURNING l.prediction_id, l.label, l.label_time`,
      values: [projectId, all.slice(i, i + ID_CHUNK)],
    });
    out.push(...rows);
  }
  return out;
}

// ───────────── reads ─────────────

const PAGE_BATCHES = 100;

interface BatchRow {
  hour: Date;
  id: string;
  encoding: number;
  received_at: Date;
  events: string;
}

/**
 * Every stored prediction of a model version with event time in [from, to), a page of
 * batches at a time, in (hour, batch) order.
 */
export async function* predictionsInWindow(
  q: pg.Pool | pg.PoolClient,
  modelVersionId: string,
  from: number,
  to: number,
): AsyncGenerator<StoredPrediction[]> {
  const firstHour = floorTo(from, HOUR_MS);
  let after: { hour: Date; id: string } | null = null;
  for (;;) {
    const res: pg.QueryResult<BatchRow> = await q.query<BatchRow>(
      after
        ? {
            name: 'vigil_window_batches_after',
            text: `SELECT hour, id::text, encoding, received_at, events FROM prediction_batch
                   WHERE model_version_id = $1 AND hour >= $2 AND hour < $3 AND (hour, id) > ($5, $6::bigint)
                   ORDER BY hour, id LIMIT $4`,
            values: [modelVersionId, new Date(firstHour), new Date(to), PAGE_BATCHES, after.hour, after.id],
          }
        : {
            name: 'vigil_window_batches',
            text: `SELECT hour, id::text, encoding, received_at, events FROM prediction_batch
                   WHERE model_version_id = $1 AND hour >= $2 AND hour < $3
                   ORDER BY hour, id LIMIT $4`,
            values: [modelVersionId, new Date(firstHour), new Date(to), PAGE_BATCHES],
          },
    );
    const page: StoredPrediction[] = [];
    for (const b of res.rows) {
      const whole = b.hour.getTime() >= from && b.hour.getTime() + HOUR_MS <= to;
      for (const e of decodeBatch(b.events, b.encoding, b.received_at.getTime())) if (whole || (e.time >= from && e.time < to)) page.push(e);
    }
    if (page.length > 0) yield page;
    if (res.rows.length < PAGE_BATCHES) return;
    const last = res.rows[res.rows.length - 1]!;
    after = { hour: last.hour, id: last.id };
  }
}

/**
 * The batches of a model version written by transactions in [fromXid, toXid): what the
 * streaming worker has not merged yet. Read through a cursor, so it must run inside the
 * caller's transaction on `client`; each batch is read once however large the backlog.
 */
export async function* predictionsWrittenBetween(
  client: pg.PoolClient,
  modelVersionId: string,
  fromXid: string,
  toXid: string,
): AsyncGenerator<StoredPrediction[]> {
  await client.query(
    `DECLARE vigil_new_batches NO SCROLL CURSOR FOR
       SELECT encoding, received_at, events FROM prediction_batch WHERE model_version_id = $1 AND xid >= $2::xid8 AND xid < $3::xid8`,
    [modelVersionId, fromXid, toXid],
  );
  try {
    for (;;) {
      const { rows } = await client.query<Pick<BatchRow, 'encoding' | 'received_at' | 'events'>>(`FETCH ${PAGE_BATCHES} FROM vigil_new_batches`);
      const page: StoredPrediction[] = [];
      for (const b of rows) for (const e of decodeBatch(b.events, b.encoding, b.received_at.getTime())) page.push(e);
      if (page.length > 0) yield page;
      if (rows.length < PAGE_BATCHES) return;
    }
  } finally {
    // After an error the transaction is aborted and the cursor gone with it.
    await client.query('CLOSE vigil_new_batches').catch(() => {});
  }
}
