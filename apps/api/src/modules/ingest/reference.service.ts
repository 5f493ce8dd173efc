import type { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { JobId, QueueName, type ReferenceUploadResponse } from '@vigil/contracts';
import { resourceLimitsOf, type Db, type TenantRef } from '@vigil/db';
import { uploadReference, type ReferenceFormat } from '@vigil/services';
import type { Logger } from 'pino';
import { storageError, withStorage } from '../../common/storage.js';
import type { ApiEnv } from '../../env.js';
import type { Queues } from '../../infra/queues.js';
import { DB, ENV, LOGGER, QUEUES } from '../../infra/tokens.js';
import { ModelRegistry } from './model-registry.service.js';

/**
 * `POST /v1/models/{model}/reference`: registers the model on first sight, stores the upload
 * (`uploadReference`, the web app's too) and asks the worker for its profile at once.
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
    const modelId = await withStorage(this.env.RETRY_AFTER_SECONDS, async () => (await this.registry.model(tenant, model)).id);
    let rows: number;
    let datasetId: string;
    try {
      ({ datasetId, rows } = await uploadReference(this.db, tenant, modelId, name, format, source, {
        limits: resourceLimitsOf(this.env),
        upload: { maxBytes: this.env.REFERENCE_MAX_BYTES, timeoutMs: this.env.REFERENCE_UPLOAD_TIMEOUT_SECONDS * 1000 },
        onDiscardFailed: (err, id) => this.logger.warn({ err: err.message, datasetId: id }, 'could not discard a failed reference upload'),
      }));
    } catch (err) {
      throw storageError(err, this.env.RETRY_AFTER_SECONDS);
    }
    const job = { organizationId: tenant.organizationId, projectId: tenant.projectId, modelId, referenceDatasetId: datasetId };
    await this.queues.add(QueueName.referenceProfile, job, { jobId: JobId.referenceProfile(job) }).catch((err: Error) =>
      this.logger.warn({ err: err.message, datasetId }, 'could not enqueue the reference profile job'),
    );
    return { id: datasetId, model, name, rows, status: 'pending' };
  }
}
