import type pg from 'pg';
import type { Executor } from '../executor.js';
import { floorTo, HOUR_MS } from './batches.js';
import { decodeBatch, type StoredPrediction } from './encoding.js';

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
  q: Executor,
  organizationId: string,
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
                   WHERE model_version_id = $1 AND organization_id = $7 AND hour >= $2 AND hour < $3 AND (hour, id) > ($5, $6::bigint)
                   ORDER BY hour, id LIMIT $4`,
            values: [modelVersionId, new Date(firstHour), new Date(to), PAGE_BATCHES, after.hour, after.id, organizationId],
          }
        : {
            name: 'vigil_window_batches',
            text: `SELECT hour, id::text, encoding, received_at, events FROM prediction_batch
                   WHERE model_version_id = $1 AND organization_id = $5 AND hour >= $2 AND hour < $3
                   ORDER BY hour, id LIMIT $4`,
            values: [modelVersionId, new Date(firstHour), new Date(to), PAGE_BATCHES, organizationId],
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
  organizationId: string,
  modelVersionId: string,
  fromXid: string,
  toXid: string,
): AsyncGenerator<StoredPrediction[]> {
  await client.query(
    `DECLARE vigil_new_batches NO SCROLL CURSOR FOR
       SELECT encoding, received_at, events FROM prediction_batch
       WHERE model_version_id = $1 AND organization_id = $4 AND xid >= $2::xid8 AND xid < $3::xid8`,
    [modelVersionId, fromXid, toXid, organizationId],
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
