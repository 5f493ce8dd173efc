import { Inject, Injectable } from '@nestjs/common';
import { VigilError, type MetricsQuery, type MetricsResponse, type ModelDetail } from '@vigil/contracts';
import type { Db, TenantRef } from '@vigil/db';
import { DB } from '../../infra/tokens.js';

/**
 * The no-UI read API: models and the metrics the worker computed, for the API key's project.
 * Every query goes through the tenant-scoped client and is narrowed to the key's project.
 */
@Injectable()
export class ReadService {
  constructor(@Inject(DB) private readonly db: Db) {}

  private async modelBySlug(tenant: TenantRef, slug: string) {
    const model = await this.db
      .forTenant(tenant.organizationId)
      .model.findFirst({ where: { projectId: tenant.projectId, slug }, include: { versions: { orderBy: { createdAt: 'asc' } } } });
    if (!model) throw new VigilError('NOT_FOUND', `model "${slug}" does not exist in this project`);
    return model;
  }

  async listModels(tenant: TenantRef) {
    const models = await this.db.forTenant(tenant.organizationId).model.findMany({
      where: { projectId: tenant.projectId },
      include: { versions: { orderBy: { createdAt: 'asc' } } },
      orderBy: { slug: 'asc' },
    });
    return {
      models: models.map((m) => ({
        slug: m.slug,
        name: m.name,
        task: m.task,
        createdAt: m.createdAt.toISOString(),
        versions: m.versions.map((v) => v.name),
      })),
    };
  }

  async model(tenant: TenantRef, slug: string): Promise<ModelDetail> {
    const m = await this.modelBySlug(tenant, slug);
    const t = this.db.forTenant(tenant.organizationId);
    const [columns, reference] = await Promise.all([
      t.modelColumn.findMany({ where: { modelId: m.id }, orderBy: [{ role: 'asc' }, { name: 'asc' }] }),
      t.referenceDataset.findFirst({ where: { modelId: m.id }, orderBy: { createdAt: 'desc' } }),
    ]);
    return {
      slug: m.slug,
      name: m.name,
      task: m.task,
      createdAt: m.createdAt.toISOString(),
      versions: m.versions.map((v) => v.name),
      segmentTags: m.segmentTags,
      columns: columns.map((c) => ({ name: c.name, kind: c.kind, role: c.role, typeMismatches: Number(c.typeMismatchCount) })),
      reference: reference
        ? {
            id: reference.id,
            name: reference.name,
            source: reference.source,
            status: reference.status,
            rows: Number(reference.rowCount),
            readyAt: reference.readyAt?.toISOString() ?? null,
          }
        : null,
    };
  }

  async metrics(tenant: TenantRef, slug: string, q: MetricsQuery): Promise<MetricsResponse> {
    const m = await this.modelBySlug(tenant, slug);
    const versions = new Map(m.versions.map((v) => [v.id, v.name]));
    let versionId: string | undefined;
    if (q.version !== undefined) {
      versionId = m.versions.find((v) => v.name === q.version)?.id;
      if (!versionId) throw new VigilError('NOT_FOUND', `model "${slug}" has no version "${q.version}"`);
    }
    const to = q.to ? new Date(q.to) : new Date(Date.now() + 3_600_000);
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 7 * 86_400_000);
    const points = await this.db.forTenant(tenant.organizationId).metricPoint.findMany({
      where: {
        modelId: m.id,
        granularity: q.granularity,
        segment: q.segment,
        windowStart: { gte: from, lt: to },
        ...(q.metric ? { metric: { in: q.metric.split(',') } } : {}),
        ...(q.column !== undefined ? { columnName: q.column } : {}),
        ...(versionId ? { modelVersionId: versionId } : {}),
      },
      orderBy: [{ windowStart: 'asc' }, { metric: 'asc' }, { columnName: 'asc' }],
      take: q.limit,
    });
    return {
      points: points.map((p) => ({
        metric: p.metric,
        column: p.columnName || null,
        segment: p.segment || null,
        version: p.modelVersionId ? (versions.get(p.modelVersionId) ?? null) : null,
        granularity: p.granularity as MetricsQuery['granularity'],
        windowStart: p.windowStart.toISOString(),
        value: p.value,
        details: p.details ?? null,
      })),
    };
  }
}
