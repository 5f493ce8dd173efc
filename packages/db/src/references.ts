import { VigilError, type ColumnKind, type ReferenceFromEvents } from '@vigil/contracts';
import type { Executor, TenantRef } from './executor.js';
import { DEFAULT_RESOURCE_LIMITS, limitExceeded, withParentLocked, type ResourceLimits } from './limits.js';
import { DbNull } from './client.js';
import type { Prisma } from './generated/prisma/client.js';
import type { TenantDb } from './tenant.js';

/*
 * Reference datasets (tables reference_datasets and reference_rows): an uploaded file, a fixed
 * past time range or a trailing window of the model's own events, and the profile the worker
 * builds from it. Status: receiving → pending → ready | failed.
 */

/**
 * Starts an upload: a dataset that receives rows until `completeReferenceDataset`. It counts
 * against the model's `referencesPerModel` cap (409 LIMIT_EXCEEDED beyond it).
 */
export async function createReferenceDataset(
  q: Executor,
  tenant: TenantRef,
  modelId: string,
  name: string,
  limits: Pick<ResourceLimits, 'referencesPerModel'> = DEFAULT_RESOURCE_LIMITS,
): Promise<string> {
  return withParentLocked(q, { table: 'models', organizationId: tenant.organizationId, id: modelId }, async (c) => {
    const r = await c.query<{ id: string }>(
      `INSERT INTO reference_datasets (organization_id, project_id, model_id, name, source, status)
       SELECT $1, $2, $3, $4, 'upload', 'receiving'
       WHERE (SELECT count(*) FROM reference_datasets WHERE organization_id = $1 AND model_id = $3) < $5
       RETURNING id`,
      [tenant.organizationId, tenant.projectId, modelId, name, limits.referencesPerModel],
    );
    if (!r.rows[0]) throw limitExceeded('referencesPerModel', limits.referencesPerModel);
    return r.rows[0].id;
  });
}

/** Appends rows `firstIndex…` of a dataset in one multi-row statement. */
export async function insertReferenceRows(q: Executor, tenant: TenantRef, datasetId: string, firstIndex: number, rows: unknown[]): Promise<void> {
  if (rows.length === 0) return;
  await q.query({
    name: 'vigil_insert_reference_rows',
    text: `INSERT INTO reference_rows (organization_id, reference_dataset_id, row_index, data)
           SELECT $1, $2, $3 + r.ord - 1, r.value::jsonb FROM json_array_elements($4::json) WITH ORDINALITY AS r(value, ord)`,
    values: [tenant.organizationId, datasetId, firstIndex, JSON.stringify(rows)],
  });
}

/** Marks a fully received dataset as waiting for its profile. */
export async function completeReferenceDataset(q: Executor, tenant: TenantRef, datasetId: string, rowCount: number): Promise<void> {
  await q.query(`UPDATE reference_datasets SET status = 'pending', row_count = $3 WHERE organization_id = $1 AND id = $2`, [tenant.organizationId, datasetId, rowCount]);
}

/** Removes a dataset whose upload failed, with its rows. */
export async function discardReferenceDataset(q: Executor, tenant: TenantRef, datasetId: string): Promise<void> {
  await q.query('DELETE FROM reference_datasets WHERE organization_id = $1 AND id = $2', [tenant.organizationId, datasetId]);
}

export interface ReferenceDatasetSummary {
  id: string;
  name: string;
  source: string;
  status: string;
}

/**
 * A reference built from the model's own events (a fixed range or a trailing window), made the
 * model's selected reference at once: it is compared against once its profile is ready.
 */
export async function createEventReference(
  t: TenantDb,
  tenant: TenantRef,
  modelId: string,
  r: ReferenceFromEvents,
  limits: Pick<ResourceLimits, 'referencesPerModel'> = DEFAULT_RESOURCE_LIMITS,
): Promise<ReferenceDatasetSummary> {
  if (r.source === 'range' && Date.parse(r.from) >= Date.parse(r.to)) {
    throw new VigilError('VALIDATION_FAILED', 'reference range is empty', { errors: [{ path: 'to', message: 'must be after from' }] });
  }
  return t.$transaction(async (tx) => {
    // The model's row lock serialises cap checks, so two requests cannot both take the last slot.
    await tx.$queryRaw`SELECT 1 FROM models WHERE organization_id = ${tenant.organizationId} AND id = ${modelId} FOR NO KEY UPDATE`;
    if ((await tx.referenceDataset.count({ where: { modelId } })) >= limits.referencesPerModel) {
      throw limitExceeded('referencesPerModel', limits.referencesPerModel);
    }
    const ds = await tx.referenceDataset.create({
      data: {
        organizationId: tenant.organizationId,
        projectId: tenant.projectId,
        modelId,
        name: r.name ?? (r.source === 'range' ? `events ${r.from} – ${r.to}` : `trailing ${r.days} days`),
        source: r.source,
        status: 'pending',
        ...(r.source === 'range' ? { rangeStart: new Date(r.from), rangeEnd: new Date(r.to) } : { trailingDays: r.days }),
      },
    });
    await tx.model.update({ where: { id: modelId }, data: { referenceConfig: { datasetId: ds.id } } });
    return { id: ds.id, name: ds.name, source: ds.source, status: ds.status };
  });
}

export interface ReferenceDatasetRecord {
  id: string;
  projectId: string;
  modelId: string;
  name: string;
  source: 'upload' | 'range' | 'trailing';
  status: string;
  rows: number;
  rangeStart: Date | null;
  rangeEnd: Date | null;
  trailingDays: number | null;
  readyAt: Date | null;
  createdAt: Date;
  error: string | null;
}

const RECORD_FIELDS = {
  id: true,
  projectId: true,
  modelId: true,
  name: true,
  source: true,
  status: true,
  rowCount: true,
  rangeStart: true,
  rangeEnd: true,
  trailingDays: true,
  readyAt: true,
  createdAt: true,
  error: true,
} as const;

function record({ rowCount, ...d }: Prisma.ReferenceDatasetGetPayload<{ select: typeof RECORD_FIELDS }>): ReferenceDatasetRecord {
  return { ...d, source: d.source as ReferenceDatasetRecord['source'], rows: Number(rowCount) };
}

export async function getReferenceDataset(t: TenantDb, id: string): Promise<ReferenceDatasetRecord> {
  const d = await t.referenceDataset.findUnique({ where: { id }, select: RECORD_FIELDS });
  if (!d) throw new VigilError('NOT_FOUND', 'reference dataset not found');
  return record(d);
}

/** The model's newest dataset, whatever its status (null: none yet). */
export async function latestReferenceDataset(t: TenantDb, modelId: string): Promise<ReferenceDatasetRecord | null> {
  const d = await t.referenceDataset.findFirst({ where: { modelId }, orderBy: { createdAt: 'desc' }, select: RECORD_FIELDS });
  return d ? record(d) : null;
}

/**
 * The ready dataset a model compares against: the one its reference config names (when it is
 * ready), else its most recently ready one.
 */
export async function selectedReadyReference(t: TenantDb, modelId: string, referenceConfig: unknown): Promise<{ id: string; rows: number; readyAt: Date } | null> {
  const wanted = referenceConfig && typeof referenceConfig === 'object' && 'datasetId' in referenceConfig ? String((referenceConfig as { datasetId: unknown }).datasetId) : undefined;
  const ds = await t.referenceDataset.findFirst({
    where: { modelId, status: 'ready', ...(wanted ? { id: wanted } : {}) },
    orderBy: { readyAt: 'desc' },
    select: { id: true, rowCount: true, readyAt: true },
  });
  return ds?.readyAt ? { id: ds.id, rows: Number(ds.rowCount), readyAt: ds.readyAt } : null;
}

/** The serialized profile of a ready dataset (null before it is built). */
export async function referenceProfile(t: TenantDb, id: string): Promise<unknown> {
  return (await t.referenceDataset.findUnique({ where: { id }, select: { profile: true } }))?.profile ?? null;
}

/**
 * Stores a built profile (and the estimators fitted with it, null when none) and makes the
 * dataset ready; a trailing window records the range it covered.
 */
export async function markReferenceReady(
  t: TenantDb,
  id: string,
  built: { rows: number; profile: unknown; estimator?: unknown; range?: { from: Date; to: Date } },
): Promise<void> {
  await t.referenceDataset.update({
    where: { id },
    data: {
      status: 'ready',
      rowCount: built.rows,
      profile: built.profile as Prisma.InputJsonValue,
      estimator: built.estimator === undefined || built.estimator === null ? DbNull : (built.estimator as Prisma.InputJsonValue),
      readyAt: new Date(),
      error: null,
      ...(built.range ? { rangeStart: built.range.from, rangeEnd: built.range.to } : {}),
    },
  });
}

export async function markReferenceFailed(t: TenantDb, id: string, error: string): Promise<void> {
  await t.referenceDataset.update({ where: { id }, data: { status: 'failed', error } });
}

/** Up to `limit` uploaded rows after row `afterIndex` (-1: from the start), in row order. */
export async function referenceRowsAfter(q: Executor, organizationId: string, datasetId: string, afterIndex: bigint, limit: number): Promise<{ index: bigint; data: Record<string, unknown> }[]> {
  const { rows } = await q.query<{ row_index: string; data: Record<string, unknown> }>(
    // Ordered by the column, not by the text the row is selected as ("10" < "9").
    `SELECT r.row_index::text AS row_index, r.data FROM reference_rows r
     WHERE r.organization_id = $1 AND r.reference_dataset_id = $2 AND r.row_index > $3
     ORDER BY r.row_index LIMIT $4`,
    [organizationId, datasetId, afterIndex.toString(), limit],
  );
  return rows.map((r) => ({ index: BigInt(r.row_index), data: r.data }));
}

/**
 * The kind of each column of an uploaded dataset, inferred from the values of its first
 * `sampleRows` rows as at ingest: numbers → numerical, booleans → boolean, anything else (or a
 * mix) → categorical. Columns holding only nulls are left out.
 */
export async function uploadedColumnKinds(q: Executor, organizationId: string, datasetId: string, sampleRows = 10_000): Promise<{ name: string; kind: ColumnKind }[]> {
  const { rows } = await q.query<{ key: string; kind: ColumnKind }>(
    `SELECT key, CASE WHEN bool_and(jsonb_typeof(value) = 'number') THEN 'numerical'
                      WHEN bool_and(jsonb_typeof(value) = 'boolean') THEN 'boolean' ELSE 'categorical' END AS kind
     FROM (SELECT data FROM reference_rows WHERE organization_id = $1 AND reference_dataset_id = $2 ORDER BY row_index LIMIT $3) r,
          jsonb_each(r.data)
     WHERE jsonb_typeof(value) <> 'null'
     GROUP BY key`,
    [organizationId, datasetId, sampleRows],
  );
  return rows.map((r) => ({ name: r.key, kind: r.kind }));
}

/**
 * Datasets of every workspace still `pending` a while after they were stored: any whose
 * profile job was lost. Cross-tenant: a scheduler's read.
 */
export async function pendingReferenceDatasets(q: Executor, olderThanMs: number, limit: number): Promise<{ organizationId: string; projectId: string; modelId: string; referenceDatasetId: string }[]> {
  const { rows } = await q.query<{ organization_id: string; project_id: string; model_id: string; id: string }>(
    `SELECT organization_id, project_id, model_id, id FROM reference_datasets
     WHERE status = 'pending' AND created_at < now() - $1 * interval '1 millisecond'
     ORDER BY created_at LIMIT $2`,
    [olderThanMs, limit],
  );
  return rows.map((r) => ({ organizationId: r.organization_id, projectId: r.project_id, modelId: r.model_id, referenceDatasetId: r.id }));
}
