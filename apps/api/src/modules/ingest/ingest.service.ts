import { Inject, Injectable } from '@nestjs/common';
import {
  findUnstorableText,
  formatIssues,
  LabelsEnvelopeSchema,
  PredictionsEnvelopeSchema,
  resolveEventTime,
  VigilError,
  type IngestResponse,
  type ItemError,
  type Prediction,
} from '@vigil/contracts';
import { IngestBacklogError, insertLabels, PredictionWriter, type Db, type LabelInput, type PredictionInput, type TenantRef } from '@vigil/db';
import type { z } from 'zod';
import { jsonTextOf, mayContainUnstorableText } from '../../common/body.js';
import { storageError, withStorage } from '../../common/storage.js';
import type { ApiEnv } from '../../env.js';
import { DB, ENV } from '../../infra/tokens.js';
import { MetricsService } from '../observability/metrics.service.js';
import { ColumnTally } from './column-tally.js';
import { checkLabelItem, checkPredictionItem, type ItemCheck } from './item-validator.js';
import { ModelRegistry } from './model-registry.service.js';
import { PipelineJobs } from './pipeline-jobs.service.js';

export interface IngestResult {
  status: 200 | 207;
  body: IngestResponse;
}

interface Valid<T> {
  index: number;
  item: T;
  /** event time, epoch ms */
  time: number;
}

function idOf(raw: unknown, key: 'id' | 'predictionId'): string | undefined {
  if (raw && typeof raw === 'object') {
    const id = (raw as Record<string, unknown>)[key];
    if (typeof id === 'string' && id.length <= 256) return id;
  }
  return undefined;
}

/**
 * Validates every item on its own (a bad item is reported by index and never stored; the
 * others are), checks its time and that its text can be stored.
 */
function validateItems<T extends { timestamp?: string | number }>(
  items: unknown[],
  check: (raw: unknown) => ItemCheck<T>,
  idKey: 'id' | 'predictionId',
  receivedAt: number,
  scanText: boolean,
): { valid: Valid<T>[]; rejected: ItemError[] } {
  const valid: Valid<T>[] = [];
  const rejected: ItemError[] = [];
  for (let index = 0; index < items.length; index++) {
    const raw = items[index];
    const parsed = check(raw);
    if (!parsed.success) {
      rejected.push({ index, id: idOf(raw, idKey), errors: formatIssues(parsed.error) });
      continue;
    }
    const time = resolveEventTime(parsed.data.timestamp, receivedAt);
    if (!time.ok) {
      rejected.push({ index, id: idOf(raw, idKey), errors: [{ path: 'timestamp', message: time.message }] });
      continue;
    }
    // The raw item, not the parsed copy: copying drops a `__proto__` key.
    const bad = scanText ? findUnstorableText(raw) : null;
    if (bad) {
      rejected.push({
        index,
        id: idOf(raw, idKey),
        errors: [{ path: bad, message: 'contains a NUL character, an unpaired surrogate or the key "__proto__"' }],
      });
      continue;
    }
    valid.push({ index, item: parsed.data, time: time.time });
  }
  return { valid, rejected };
}

/** Keeps the first item of every id; later ones in the same request are duplicates. */
function firstOfEachId<T>(valid: Valid<T>[], idOfItem: (item: T) => string): Valid<T>[] {
  const seen = new Set<string>();
  const out: Valid<T>[] = [];
  for (const v of valid) {
    const id = idOfItem(v.item);
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(v);
  }
  return out;
}

function envelopeError(error: z.ZodError): VigilError {
  return new VigilError('VALIDATION_FAILED', 'request body is invalid', { errors: formatIssues(error) });
}

@Injectable()
export class IngestService {
  private readonly writer: PredictionWriter;

  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(ENV) private readonly env: ApiEnv,
    @Inject(ModelRegistry) private readonly registry: ModelRegistry,
    @Inject(PipelineJobs) private readonly jobs: PipelineJobs,
    @Inject(MetricsService) metrics: MetricsService,
  ) {
    this.writer = new PredictionWriter(db.pool, { concurrency: env.INGEST_WRITE_CONCURRENCY, maxQueuedEvents: env.INGEST_MAX_QUEUED_EVENTS });
    metrics.watchIngestBacklog(() => this.writer.queuedEvents);
  }

  async ingestPredictions(tenant: TenantRef, body: unknown): Promise<IngestResult> {
    const envelope = PredictionsEnvelopeSchema.safeParse(body);
    if (!envelope.success) throw envelopeError(envelope.error);
    // Refused before validation when the writer is already full: an overloaded process spends
    // no more CPU on a request it would refuse anyway.
    if (this.writer.full) {
      throw storageError(new IngestBacklogError(this.env.INGEST_MAX_QUEUED_EVENTS), this.env.RETRY_AFTER_SECONDS);
    }
    const items = envelope.data.predictions;
    const receivedAt = Date.now();
    const { valid, rejected } = validateItems(items, checkPredictionItem, 'id', receivedAt, mayContainUnstorableText(body));
    const unique = firstOfEachId(valid, (p) => p.id);
    // A body whose every item is a distinct valid event may be stored as it arrived.
    const text = rejected.length === 0 && unique.length === items.length ? jsonTextOf(body) : undefined;

    const result = await withStorage(this.env.RETRY_AFTER_SECONDS, async () => {
      const rows = await this.toRows(tenant, unique);
      return this.writer.write(tenant, rows, { receivedAt, ...(text !== undefined ? { body: { text, receivedAt } } : {}) });
    });
    await this.jobs.predictionsStored(tenant, result.windows);
    return respond(result.accepted, valid.length - result.accepted, rejected);
  }

  async ingestLabels(tenant: TenantRef, body: unknown): Promise<IngestResult> {
    const envelope = LabelsEnvelopeSchema.safeParse(body);
    if (!envelope.success) throw envelopeError(envelope.error);
    const { valid, rejected } = validateItems(envelope.data.labels, checkLabelItem, 'predictionId', Date.now(), mayContainUnstorableText(body));
    const unique = firstOfEachId(valid, (l) => l.predictionId);
    const rows: LabelInput[] = unique.map((v) => ({ id: v.item.predictionId, time: v.time, label: v.item.label }));
    const result = await withStorage(this.env.RETRY_AFTER_SECONDS, () => insertLabels(this.db.pool, tenant, rows));
    await this.jobs.labelsJoined(tenant, result.windows);
    return respond(result.accepted, valid.length - result.accepted, rejected);
  }

  /** Resolves model and version ids (registering what is new) and builds the rows to store. */
  private async toRows(tenant: TenantRef, valid: Valid<Prediction>[]): Promise<PredictionInput[]> {
    const byModel = new Map<string, Valid<Prediction>[]>();
    for (const v of valid) {
      const list = byModel.get(v.item.model);
      if (list) list.push(v);
      else byModel.set(v.item.model, [v]);
    }
    const rows: PredictionInput[] = [];
    for (const [slug, list] of byModel) {
      const schema = await this.registry.model(tenant, slug);
      const tally = new ColumnTally();
      for (const { item, time } of list) {
        tally.addPrediction(item);
        const version = item.version ?? 'default';
        const versionId = schema.versions.get(version) ?? (await this.registry.versionId(tenant, schema, version));
        rows.push({
          modelId: schema.id,
          modelVersionId: versionId,
          id: item.id,
          time,
          features: item.features,
          prediction: item.prediction,
          scores: item.scores,
          tags: item.tags,
          label: item.label,
        });
      }
      await this.registry.observe(tenant, schema, tally);
    }
    return rows;
  }
}

function respond(accepted: number, duplicates: number, rejected: ItemError[]): IngestResult {
  return { status: rejected.length > 0 ? 207 : 200, body: { accepted, duplicates, rejected } };
}
