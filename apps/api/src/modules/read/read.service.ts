import { Inject, Injectable } from '@nestjs/common';
import { VigilError, type MetricsQuery, type MetricsResponse, type ModelDetail } from '@vigil/contracts';
import { getModelBySlug, latestReferenceDataset, listMetricPoints, listModelColumns, listModelVersions, listProjectModels, type Db, type TenantRef } from '@vigil/db';
import { DB } from '../../infra/tokens.js';

/**
 * The no-UI read API: models and the metrics the worker computed, for the API key's project.
 * Every read goes through the tenant-scoped client and is narrowed to the key's project.
 */
@Injectable()
export class ReadService {
  constructor(@Inject(DB) private readonly db: Db) {}

  async listModels(tenant: TenantRef) {
    const models = await listProjectModels(this.db.forTenant(tenant.organizationId), tenant.projectId);
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
    const t = this.db.forTenant(tenant.organizationId);
    const m = await getModelBySlug(t, tenant.projectId, slug);
    const [versions, columns, reference] = await Promise.all([listModelVersions(t, m.id), listModelColumns(t, m.id), latestReferenceDataset(t, m.id)]);
    return {
      slug: m.slug,
      name: m.name,
      task: m.task,
      createdAt: m.createdAt.toISOString(),
      versions: versions.map((v) => v.name),
      segmentTags: m.segmentTags,
      columns: columns.map((c) => ({ name: c.name, kind: c.kind, role: c.role, typeMismatches: c.typeMismatches })),
      reference: reference
        ? {
            id: reference.id,
            name: reference.name,
            source: reference.source,
            status: reference.status,
            rows: reference.rows,
            readyAt: reference.readyAt?.toISOString() ?? null,
          }
        : null,
    };
  }

  async metrics(tenant: TenantRef, slug: string, q: MetricsQuery): Promise<MetricsResponse> {
    const t = this.db.forTenant(tenant.organizationId);
    const m = await getModelBySlug(t, tenant.projectId, slug);
    const versions = await listModelVersions(t, m.id);
    const names = new Map(versions.map((v) => [v.id, v.name]));
    let versionId: string | undefined;
    if (q.version !== undefined) {
      versionId = versions.find((v) => v.name === q.version)?.id;
      if (!versionId) throw new VigilError('NOT_FOUND', `model "${slug}" has no version "${q.version}"`);
    }
    const to = q.to ? new Date(q.to) : new Date(Date.now() + 3_600_000);
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 7 * 86_400_000);
    const points = await listMetricPoints(t, {
      modelId: m.id,
      granularity: q.granularity,
      segment: q.segment,
      from,
      to,
      ...(q.metric ? { metrics: q.metric.split(',') } : {}),
      ...(q.column !== undefined ? { column: q.column } : {}),
      ...(versionId ? { modelVersionId: versionId } : {}),
      limit: q.limit,
    });
    return {
      points: points.map((p) => ({
        metric: p.metric,
        column: p.column || null,
        segment: p.segment || null,
        version: p.modelVersionId ? (names.get(p.modelVersionId) ?? null) : null,
        granularity: p.granularity as MetricsQuery['granularity'],
        windowStart: p.windowStart.toISOString(),
        value: p.value,
        details: p.details ?? null,
      })),
    };
  }
}
