import { Inject, Injectable } from '@nestjs/common';
import { JobId, QueueName, type ModelSettings, type ReferenceFromEvents } from '@vigil/contracts';
import { createEventReference, getModelBySlug, resourceLimitsOf, updateModelSettings, type Db } from '@vigil/db';
import type { ApiEnv } from '../../env.js';
import type { Queues } from '../../infra/queues.js';
import { DB, ENV, QUEUES } from '../../infra/tokens.js';
import type { Principal } from '../auth/principal.js';

/** Model settings and event-based references, for admin-scoped keys of the model's project. */
@Injectable()
export class ModelsService {
  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(QUEUES) private readonly queues: Queues,
    @Inject(ENV) private readonly env: ApiEnv,
  ) {}

  async update(p: Principal, slug: string, s: ModelSettings) {
    const t = this.db.forTenant(p.organizationId);
    const m = await getModelBySlug(t, p.projectId, slug);
    const updated = await updateModelSettings(t, { organizationId: p.organizationId, apiKeyId: p.apiKeyId }, m.id, s);
    return { slug: updated.slug, name: updated.name, task: updated.task, segmentTags: updated.segmentTags, drift: updated.driftConfig ?? null };
  }

  async createReference(p: Principal, slug: string, r: ReferenceFromEvents) {
    const t = this.db.forTenant(p.organizationId);
    const m = await getModelBySlug(t, p.projectId, slug);
    const ds = await createEventReference(t, p, m.id, r, resourceLimitsOf(this.env));
    const payload = { organizationId: p.organizationId, projectId: p.projectId, modelId: m.id, referenceDatasetId: ds.id };
    await this.queues.add(QueueName.referenceProfile, payload, { jobId: JobId.referenceProfile(payload) });
    return ds;
  }
}
