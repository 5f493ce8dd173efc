import { Inject, Injectable } from '@nestjs/common';
import { VigilError, type MetricsQuery, type MetricsResponse, type ModelDetail, type ModelDetailQuery, type ModelListQuery } from '@vigil/contracts';
import { getModelBySlug, latestReferenceDataset, listMetricPoints, listModelVersions, pageModelColumns, pageProjectModels, type Db, type TenantRef } from '@vigil/db';
import { DB } from '../../infra/tokens.js';
import { decodeCursor, encodeCursor } from './cursor.js';

/**
 * The no-UI read API: models and the metrics the worker computed, for the API key's project.
 * Every read goes through the tenant-scoped client and is narrowed to the key's project.
 */
@Injectable()
export class ReadService {
  constructor(@Inject(DB) private readonly db: Db) {}

  /** One page of the project's models, in slug order; `nextCursor` continues it (null: the last page). */
  async listModels(tenant: TenantRef, q: ModelListQuery) {
    const after = q.cursor !== undefined ? decodeCursor(q.cursor, 1, 'cursor')[0] : undefined;
    const { models, more } = await pageProjectModels(this.db.forTenant(tenant.organizationId), tenant.projectId, {
      limit: q.limit,
      ...(after !== undefined ? { after } : {}),
    });
    const last = models.at(-1);
    return {
      models: models.map((m) => ({
        slug: m.slug,
        name: m.name,
        task: m.task,
        createdAt: m.createdAt.toISOString(),
        versions: m.versions.map((v) => v.name),
      })),
      nextCursor: more && last ? encodeCursor([last.slug]) : null,
    };
  }

  /** A model with one page of its columns, in (role, name) order; `columnsNextCursor` continues them. */
  async model(tenant: TenantRef, slug: string, q: ModelDetailQuery): Promise<ModelDetail> {
    const t = this.db.forTenant(tenant.organizationId);
    const after = q.columnsCursor !== undefined ? decodeCursor(q.columnsCursor, 2, 'columnsCursor') : undefined;
    const m = await getModelBySlug(t, tenant.projectId, slug);
    const [versions, { columns, more }, reference] = await Promise.all([
      listModelVersions(t, m.id),
      pageModelColumns(t, m.id, { limit: q.columnsLimit, ...(after ? { after: { role: after[0]!, name: after[1]! } } : {}) }),
      latestReferenceDataset(t, m.id),
    ]);
    const lastColumn = columns.at(-1);
    return {
      slug: m.slug,
      name: m.name,
      task: m.task,
      createdAt: m.createdAt.toISOString(),
      versions: versions.map((v) => v.name),
      segmentTags: m.segmentTags,
      columns: columns.map((c) => ({ name: c.name, kind: c.kind, role: c.role, typeMismatches: c.typeMismatches })),
      columnsNextCursor: more && lastColumn ? encodeCursor([lastColumn.role, lastColumn.name]) : null,
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
