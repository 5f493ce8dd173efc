import type pg from 'pg';
import type { Batch } from './batches.js';
import { BatchEncoding, encodeBatch } from './encoding.js';

/*
 * The statements that write predictions. Array parameters are written as Postgres array
 * literals here: pg's own encoder runs two regular-expression replaces per element, a visible
 * cost at ingest rates.
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

/** Whether a statement writes the batches' idempotency keys too (the common case) or the batches alone. */
type Keys = 'with-keys' | 'batches-only';

/** Per batch: organization, project, model, version, hour, event count, events, encoding, received at — then, with keys, their ids and times. */
const paramsPerBatch = (keys: Keys) => (keys === 'with-keys' ? 11 : 9);

function scalarBatches(batches: readonly Batch[], keys: Keys): unknown[] {
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
      b.body ? BatchEncoding.requestBody : BatchEncoding.tuples,
      b.receivedAt,
    );
    if (keys === 'with-keys') values.push(textArray(b.events.map((e) => e.id)), numberArray(b.events.map((e) => e.time)));
  }
  return values;
}

/** The statement writing `count` scalar batches, with their keys or without. */
const scalarSql = (count: number, keys: Keys): string => {
  const batch = (i: number) => 1 + i * paramsPerBatch(keys);
  const rows = Array.from({ length: count }, (_, i) => {
    const p = batch(i);
    return `($${p}, $${p + 1}, $${p + 2}, $${p + 3}, to_timestamp($${p + 4}::float8 / 1000), $${p + 5}::int, $${p + 6}, $${p + 7}::smallint, to_timestamp($${p + 8}::float8 / 1000))`;
  });
  const insertBatches = `${BATCH_COLUMNS}, encoding, received_at) VALUES ${rows.join(', ')}`;
  if (keys === 'batches-only') return insertBatches;
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

/**
 * The one statement that writes `batches` and the idempotency keys of their events. A plain
 * insert, not ON CONFLICT: an id already stored (a retry, or the same batch sent twice at once)
 * raises a unique violation and the statement writes nothing.
 */
export function writeBatchesWithKeys(batches: readonly Batch[]): pg.QueryConfig {
  if (batches.length <= MAX_SCALAR_BATCHES) {
    return { name: `vigil_write_predictions_k${batches.length}`, text: scalarSql(batches.length, 'with-keys'), values: scalarBatches(batches, 'with-keys') };
  }
  const keyArrays = keyArraysOf(batches);
  return {
    name: 'vigil_write_predictions_kn',
    // The batch arrays follow the key arrays' parameters.
    text: `WITH k AS (${KEY_COLUMNS} ${KEYS_FROM_ARRAYS}) ${batchesFromArrays(keyArrays.length + 1)}`,
    values: [...keyArrays, ...arrayBatches(batches)],
  };
}

/** The statement that writes `batches` alone: their keys were written before, in the same transaction. */
export function writeBatchesOnly(batches: readonly Batch[]): pg.QueryConfig {
  if (batches.length <= MAX_SCALAR_BATCHES) {
    return { name: `vigil_write_predictions_b${batches.length}`, text: scalarSql(batches.length, 'batches-only'), values: scalarBatches(batches, 'batches-only') };
  }
  return { name: 'vigil_write_predictions_bn', text: batchesFromArrays(1), values: arrayBatches(batches) };
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

/** Writes the keys of `batches` that are new; the result's rows name them (`client_id`). */
export function insertKeysSkippingDuplicates(batches: readonly Batch[]): pg.QueryConfig {
  return {
    name: 'vigil_insert_prediction_keys',
    text: `${KEY_COLUMNS} ${KEYS_FROM_ARRAYS} ON CONFLICT DO NOTHING RETURNING client_id`,
    values: keyArraysOf(batches),
  };
}
