import { Transform, type Readable } from 'node:stream';
import { findUnstorableText, formatIssues, ReferenceLimits, ReferenceRowSchema, VigilError } from '@vigil/contracts';
import { completeReferenceDataset, createReferenceDataset, discardReferenceDataset, insertReferenceRows, type Db, type ResourceLimits, type TenantRef } from '@vigil/db';
import { csvRows, jsonlRows, type ReferenceRow } from './row-streams.js';

const BATCH_ROWS = 2_000;

export type ReferenceFormat = 'csv' | 'jsonl';

/** How much one upload may read and for how long (defaults: `ReferenceLimits`; operators set them through each app's env). */
export interface UploadLimits {
  /** Bytes after decompression. */
  maxBytes?: number;
  timeoutMs?: number;
}

export interface UploadedReference {
  datasetId: string;
  rows: number;
}

/**
 * Stores an uploaded reference dataset row by row as it streams in (never the whole file in
 * memory): rows are inserted in multi-row batches, with one batch in flight while the next is
 * parsed. The dataset becomes `pending` when complete — its profile is built by the worker — and
 * a failed upload leaves nothing behind. The REST API and the web app both upload through here.
 */
export async function uploadReference(
  db: Db,
  tenant: TenantRef,
  modelId: string,
  name: string,
  format: ReferenceFormat,
  source: Readable,
  opts: { onDiscardFailed?: (err: Error, datasetId: string) => void; limits?: Pick<ResourceLimits, 'referencesPerModel'>; upload?: UploadLimits } = {},
): Promise<UploadedReference> {
  const datasetId = await createReferenceDataset(db.pool, tenant, modelId, name, opts.limits);
  const limited = limitUpload(source, opts.upload ?? {});
  try {
    const rows = await storeRows(db, tenant, datasetId, format, limited.stream);
    if (rows === 0) throw new VigilError('BAD_REQUEST', 'the upload contains no rows');
    await completeReferenceDataset(db.pool, tenant, datasetId, rows);
    return { datasetId, rows };
  } catch (err) {
    await discardReferenceDataset(db.pool, tenant, datasetId).catch((e: Error) => opts.onDiscardFailed?.(e, datasetId));
    throw err;
  } finally {
    limited.done();
  }
}

/**
 * The upload as the parser reads it, stopped with a 413 once it has passed `maxBytes`
 * (decompressed: a gzip bomb is cut off there) and with a 408 when it outlasts `timeoutMs` (a
 * client trickling bytes holds a connection and a dataset for no longer than that).
 */
function limitUpload(source: Readable, limits: UploadLimits): { stream: Readable; done: () => void } {
  const maxBytes = limits.maxBytes ?? ReferenceLimits.maxUploadBytes;
  const timeoutMs = limits.timeoutMs ?? ReferenceLimits.uploadTimeoutMs;
  let seen = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > maxBytes) callback(new VigilError('PAYLOAD_TOO_LARGE', `an upload holds at most ${maxBytes} bytes (uncompressed)`, { limit: maxBytes }));
      else callback(null, chunk);
    },
  });
  const timer = setTimeout(() => {
    stream.destroy(new VigilError('REQUEST_TIMEOUT', `an upload must complete within ${Math.round(timeoutMs / 1000)} s`, { limit: timeoutMs }));
  }, timeoutMs);
  timer.unref?.();
  source.on('error', (err) => stream.destroy(err));
  source.pipe(stream);
  return { stream, done: () => clearTimeout(timer) };
}

async function storeRows(db: Db, tenant: TenantRef, datasetId: string, format: ReferenceFormat, source: Readable): Promise<number> {
  let batch: ReferenceRow[] = [];
  let stored = 0;
  let inFlight: Promise<void> | null = null;
  const flush = async () => {
    if (inFlight) await inFlight;
    if (batch.length === 0) return;
    const rows = batch;
    const first = stored;
    stored += rows.length;
    batch = [];
    inFlight = insertReferenceRows(db.pool, tenant, datasetId, first, rows);
    inFlight.catch(() => {});
  };
  try {
    for await (const { row, line } of rowsOf(format, source)) {
      if (stored + batch.length >= ReferenceLimits.maxRows) {
        throw new VigilError('PAYLOAD_TOO_LARGE', `a reference dataset holds at most ${ReferenceLimits.maxRows} rows`);
      }
      const bad = findUnstorableText(row);
      if (bad) throw new VigilError('BAD_REQUEST', `row ${line}: ${bad} contains a NUL character or an unpaired surrogate`, { line });
      batch.push(row);
      if (batch.length >= BATCH_ROWS) await flush();
    }
    await flush();
    if (inFlight) await inFlight;
  } catch (err) {
    source.resume();
    if (inFlight) await (inFlight as Promise<void>).catch(() => {});
    throw toUploadError(err);
  }
  return stored;
}

async function* rowsOf(format: ReferenceFormat, source: Readable): AsyncGenerator<{ row: ReferenceRow; line: number }> {
  if (format === 'csv') {
    let line = 1;
    for await (const row of csvRows(source)) yield { row, line: ++line };
    return;
  }
  for await (const { line, value } of jsonlRows(source)) {
    const parsed = ReferenceRowSchema.safeParse(value);
    if (!parsed.success) {
      throw new VigilError('BAD_REQUEST', `line ${line} is not a flat object of column → number, string, boolean or null`, {
        line,
        errors: formatIssues(parsed.error),
      });
    }
    if (Object.keys(parsed.data).length > ReferenceLimits.maxColumns) {
      throw new VigilError('BAD_REQUEST', `line ${line} has more than ${ReferenceLimits.maxColumns} columns`, { line });
    }
    yield { row: parsed.data, line };
  }
}

/** Parser and decompression failures are the upload's fault (400); storage failures pass through. */
function toUploadError(err: unknown): unknown {
  if (err instanceof VigilError) return err;
  const e = err as Error & { code?: string };
  if (typeof e?.code === 'string' && (e.code.startsWith('CSV_') || e.code.startsWith('Z_') || e.code === 'INVALID_OPENING_QUOTE')) {
    return new VigilError('BAD_REQUEST', `the upload cannot be parsed: ${e.message}`);
  }
  return err;
}
