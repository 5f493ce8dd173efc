import type { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import {
  findUnstorableText,
  formatIssues,
  JobId,
  QueueName,
  ReferenceLimits,
  ReferenceRowSchema,
  VigilError,
  type ReferenceUploadResponse,
} from '@vigil/contracts';
import {
  completeReferenceDataset,
  createReferenceDataset,
  discardReferenceDataset,
  insertReferenceRows,
  type Db,
  type TenantRef,
} from '@vigil/db';
import type { Logger } from 'pino';
import { storageError, withStorage } from '../../common/storage.js';
import type { ApiEnv } from '../../env.js';
import type { Queues } from '../../infra/queues.js';
import { DB, ENV, LOGGER, QUEUES } from '../../infra/tokens.js';
import { ModelRegistry } from './model-registry.service.js';
import { csvRows, jsonlRows, type ReferenceRow } from './row-streams.js';

const BATCH_ROWS = 2_000;

export type ReferenceFormat = 'csv' | 'jsonl';

/**
 * Stores an uploaded reference dataset row by row as it streams in (never the whole file in
 * memory): rows are inserted in multi-row batches, with one batch in flight while the next is
 * parsed. The dataset becomes `pending` when complete and its profile job is enqueued; a failed
 * upload leaves nothing behind.
 */
@Injectable()
export class ReferenceService {
  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(ENV) private readonly env: ApiEnv,
    @Inject(QUEUES) private readonly queues: Queues,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(ModelRegistry) private readonly registry: ModelRegistry,
  ) {}

  async upload(tenant: TenantRef, model: string, name: string, format: ReferenceFormat, source: Readable): Promise<ReferenceUploadResponse> {
    const { datasetId, modelId } = await withStorage(this.env.RETRY_AFTER_SECONDS, async () => {
      const schema = await this.registry.model(tenant, model);
      return { modelId: schema.id, datasetId: await createReferenceDataset(this.db.pool, tenant, schema.id, name) };
    });
    let rows: number;
    try {
      rows = await this.storeRows(tenant, datasetId, format, source);
      if (rows === 0) throw new VigilError('BAD_REQUEST', 'the upload contains no rows');
      await completeReferenceDataset(this.db.pool, tenant, datasetId, rows);
    } catch (err) {
      await discardReferenceDataset(this.db.pool, tenant, datasetId).catch((e: Error) =>
        this.logger.warn({ err: e.message, datasetId }, 'could not discard a failed reference upload'),
      );
      throw storageError(err, this.env.RETRY_AFTER_SECONDS);
    }
    const job = { organizationId: tenant.organizationId, projectId: tenant.projectId, modelId, referenceDatasetId: datasetId };
    await this.queues.add(QueueName.referenceProfile, job, { jobId: JobId.referenceProfile(job) }).catch((err: Error) =>
      this.logger.warn({ err: err.message, datasetId }, 'could not enqueue the reference profile job'),
    );
    return { id: datasetId, model, name, rows, status: 'pending' };
  }

  private async storeRows(tenant: TenantRef, datasetId: string, format: ReferenceFormat, source: Readable): Promise<number> {
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
      inFlight = insertReferenceRows(this.db.pool, tenant, datasetId, first, rows);
      inFlight.catch(() => {});
    };
    try {
      for await (const { row, line } of this.rows(format, source)) {
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

  private async *rows(format: ReferenceFormat, source: Readable): AsyncGenerator<{ row: ReferenceRow; line: number }> {
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
