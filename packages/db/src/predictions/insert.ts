import type pg from 'pg';
import { isUniqueViolation } from '../errors.js';
import { inTransaction, type Executor, type TenantRef } from '../executor.js';
import { withPartitions } from '../partitions.js';
import { batchesOf, windowsOf, type InsertedWindow, type ReceivedBody } from './batches.js';
import type { PredictionInput } from './encoding.js';
import { insertKeysSkippingDuplicates, writeBatchesOnly, writeBatchesWithKeys } from './statements.js';

export interface InsertPredictionsResult {
  accepted: number;
  windows: InsertedWindow[];
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
  // The common case, every id new, is one statement; a retried id fails it, and the careful
  // path below runs instead.
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
export async function insertNewPredictions(q: Executor, tenant: TenantRef, rows: PredictionInput[], opts: InsertPredictionsOptions = {}): Promise<void> {
  if (rows.length === 0) return;
  await q.query(writeBatchesWithKeys(batchesOf(tenant, rows, opts.body?.receivedAt ?? opts.receivedAt ?? Date.now(), opts.body)));
}

/** Keys first (ON CONFLICT DO NOTHING says which ids are new), then batches of the new ones, in one transaction. */
function insertSkippingDuplicates(pool: pg.Pool, tenant: TenantRef, rows: PredictionInput[], receivedAt: number): Promise<PredictionInput[]> {
  return inTransaction(pool, async (client) => {
    const { rows: fresh } = await client.query<{ client_id: string }>(insertKeysSkippingDuplicates(batchesOf(tenant, rows, receivedAt)));
    const isNew = new Set(fresh.map((r) => r.client_id));
    const stored = rows.filter((r) => isNew.has(r.id));
    if (stored.length > 0) await client.query(writeBatchesOnly(batchesOf(tenant, stored, receivedAt)));
    return stored;
  });
}
