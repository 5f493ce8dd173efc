import type { TenantRef } from '../executor.js';
import type { PredictionInput } from './encoding.js';

/*
 * Stored predictions: one `prediction_key` row per (project, client id), which makes every id
 * count once, and one `prediction_batch` row per (ingest request, model version, UTC hour)
 * holding that request's new events of the hour (migration 0005 says why).
 */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

export const floorTo = (ms: number, unit: number) => ms - (((ms % unit) + unit) % unit);

/**
 * A request body as it arrived. When each of its items is one new event and they make a single
 * batch, the body itself is stored (BatchEncoding.requestBody).
 */
export interface ReceivedBody {
  /** the JSON text of `{ "predictions": [...] }` */
  text: string;
  /** epoch ms the items' missing timestamps were resolved to */
  receivedAt: number;
}

/** One prediction_batch row to write: a request's new events of one model version and hour. */
export interface Batch {
  tenant: TenantRef;
  modelId: string;
  modelVersionId: string;
  hour: number;
  events: PredictionInput[];
  /** epoch ms recorded as the batch's received_at */
  receivedAt: number;
  /** the request body, when the batch holds every item of it (stored as is) */
  body?: ReceivedBody;
}

/** Newly stored predictions per (model version, minute): what the streaming worker must merge. */
export interface InsertedWindow {
  modelId: string;
  modelVersionId: string;
  minute: Date;
  count: number;
}

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
