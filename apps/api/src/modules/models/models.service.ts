import { Inject, Injectable } from '@nestjs/common';
import { JobId, QueueName, VigilError, type ModelSettings, type ReferenceFromEvents } from '@vigil/contracts';
import { DbNull, type Db } from '@vigil/db';
import type { Queues } from '../../infra/queues.js';
import { DB, QUEUES } from '../../infra/tokens.js';
import type { Principal } from '../auth/principal.js';

/** Model settings and event-based references, for admin-scoped keys of the model's project. */
@Injectable()
export class ModelsService {
  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(QUEUES) private readonly queues: Queues,
  ) {}

  private async model(p: Principal, slug: string) {
    const m = await this.db.forTenant(p.organizationId).model.findFirst({ where: { projectId: p.projectId, slug } });
    if (!m) throw new VigilError('NOT_FOUND', `model "${slug}" does not exist in this project`);
    return m;
  }

  async update(p: Principal, slug: string, s: ModelSettings) {
    const m = await this.model(p, slug);
    const t = this.db.forTenant(p.organizationId);
    const updated = await t.model.update({
      where: { id: m.id },
      data: {
        ...(s.name !== undefined ? { name: s.name } : {}),
        ...(s.task !== undefined ? { task: s.task } : {}),
        ...(s.segmentTags !== undefined ? { segmentTags: [...new Set(s.segmentTags)] } : {}),
        ...(s.drift !== undefined ? { driftConfig: s.drift === null ? DbNull : s.drift } : {}),
      },
    });
    await t.auditLog.create({
      data: { organizationId: p.organizationId, actorApiKeyId: p.apiKeyId, action: 'model.update', targetType: 'model', targetId: m.id, details: s },
    });
    return { slug: updated.slug, name: updated.name, task: updated.task, segmentTags: updated.segmentTags, drift: updated.driftConfig ?? null };
  }

  async createReference(p: Principal, slug: string, r: ReferenceFromEvents) {
    const m = await this.model(p, slug);
    if (r.source === 'range' && Date.parse(r.from) >= Date.parse(r.to)) {
      throw new VigilError('VALIDATION_FAILED', 'reference range is empty', { errors: [{ path: 'to', message: 'must be after from' }] });
    }
    const ds = await this.db.forTenant(p.organizationId).referenceDataset.create({
      data: {
        organizationId: p.organizationId,
        projectId: p.projectId,
        modelId: m.id,
        name: r.name ?? (r.source === 'range' ? `events ${r.from} – ${r.to}` : `trailing ${r.days} days`),
        source: r.source,
        status: 'pending',
        ...(r.source === 'range' ? { rangeStart: new Date(r.from), rangeEnd: new Date(r.to) } : { trailingDays: r.days }),
      },
    });
    // Selecting it makes it the model's reference once it is ready.
    await this.db.forTenant(p.organizationId).model.update({ where: { id: m.id }, data: { referenceConfig: { datasetId: ds.id } } });
    const payload = { organizationId: p.organizationId, projectId: p.projectId, modelId: m.id, referenceDatasetId: ds.id };
    await this.queues.add(QueueName.referenceProfile, payload, { jobId: JobId.referenceProfile(payload) });
    return { id: ds.id, name: ds.name, source: ds.source, status: ds.status };
  }
}
