import { eventTimeMs } from '@vigil/contracts';

/*
 * How a prediction batch's `events` text is encoded (column prediction_batch.encoding, migration
 * 0005). This module is the one place that knows; everything else reads `StoredPrediction`s.
 */
export const BatchEncoding = {
  /** A JSON array of [client id, event time (epoch ms), features, prediction, scores, tags, label]. */
  tuples: 1,
  /**
   * The request body as it arrived (`{"predictions": [...]}`), when each of its items is one new
   * event of the batch: re-serializing the events would cost the API as much CPU as parsing
   * them did. An item without a timestamp happened at the batch's received_at.
   */
  requestBody: 2,
} as const;
export type BatchEncoding = (typeof BatchEncoding)[keyof typeof BatchEncoding];

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

/** A batch's events in the `tuples` encoding. */
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

/** An item of a request body stored as it arrived, already validated at ingest. */
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
export function decodeBatch(text: string, encoding: number = BatchEncoding.tuples, receivedAt = 0): StoredPrediction[] {
  if (encoding === BatchEncoding.tuples) {
    const tuples = JSON.parse(text) as Tuple[];
    const out = new Array<StoredPrediction>(tuples.length);
    for (let i = 0; i < tuples.length; i++) {
      const t = tuples[i]!;
      out[i] = { id: t[0], time: t[1], features: t[2], prediction: t[3], scores: t[4], tags: t[5], label: t[6] };
    }
    return out;
  }
  if (encoding === BatchEncoding.requestBody) {
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
