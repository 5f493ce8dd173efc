import { AuditAction, VigilError, type ColumnKind, type ColumnRole, type ModelSettings } from '@vigil/contracts';
import { writeAudit, type Actor } from './audit.js';
import { DbNull } from './client.js';
import type { Executor, TenantRef } from './executor.js';
import { DEFAULT_RESOURCE_LIMITS, limitExceeded, withParentLocked, type ResourceLimits } from './limits.js';
import type { Prisma } from './generated/prisma/client.js';
import type { TenantDb } from './tenant.js';
import { validationError } from './validation.js';

/*
 * Models, their versions and column schemas. Ingest registers them on first sight (raw SQL on
 * the hot path); people read and configure them through the tenant-scoped client.
 */

export interface StoredColumn {
  role: ColumnRole;
  name: string;
  kind: ColumnKind;
}

export interface ColumnMismatch {
  role: ColumnRole;
  name: string;
  count: number;
}

/**
 * Registers a model on first sight (or finds it) and returns its id. A new model counts against
 * the project's `modelsPerProject` cap (409 LIMIT_EXCEEDED beyond it), checked under a lock on
 * the project row; `DO UPDATE` with a no-op assignment returns the row even when a concurrent
 * request created it.
 */
export async function upsertModel(q: Executor, tenant: TenantRef, slug: string, limits: Pick<ResourceLimits, 'modelsPerProject'> = DEFAULT_RESOURCE_LIMITS): Promise<string> {
  const known = await q.query<{ id: string }>({
    name: 'vigil_find_model',
    text: 'SELECT id FROM models WHERE organization_id = $1 AND project_id = $2 AND slug = $3',
    values: [tenant.organizationId, tenant.projectId, slug],
  });
  if (known.rows[0]) return known.rows[0].id;
  return withParentLocked(q, { table: 'projects', organizationId: tenant.organizationId, id: tenant.projectId }, async (c) => {
    const r = await c.query<{ id: string }>({
      name: 'vigil_upsert_model_capped',
      text: `INSERT INTO models (organization_id, project_id, slug, name)
             SELECT $1, $2, $3, $3 WHERE (SELECT count(*) FROM models WHERE organization_id = $1 AND project_id = $2) < $4
                                      OR EXISTS (SELECT 1 FROM models WHERE project_id = $2 AND slug = $3)
             ON CONFLICT (project_id, slug) DO UPDATE SET slug = EXCLUDED.slug
             RETURNING id`,
      values: [tenant.organizationId, tenant.projectId, slug, limits.modelsPerProject],
    });
    if (!r.rows[0]) throw limitExceeded('modelsPerProject', limits.modelsPerProject, `model "${slug}" cannot be registered`);
    return r.rows[0].id;
  });
}

/** Registers a version of a model on first sight (or finds it); a new one counts against `versionsPerModel`. */
export async function upsertModelVersion(
  q: Executor,
  tenant: TenantRef,
  modelId: string,
  name: string,
  limits: Pick<ResourceLimits, 'versionsPerModel'> = DEFAULT_RESOURCE_LIMITS,
): Promise<string> {
  const known = await q.query<{ id: string }>({
    name: 'vigil_find_model_version',
    text: 'SELECT id FROM model_versions WHERE organization_id = $1 AND model_id = $2 AND name = $3',
    values: [tenant.organizationId, modelId, name],
  });
  if (known.rows[0]) return known.rows[0].id;
  return withParentLocked(q, { table: 'models', organizationId: tenant.organizationId, id: modelId }, async (c) => {
    const r = await c.query<{ id: string }>({
      name: 'vigil_upsert_model_version_capped',
      text: `INSERT INTO model_versions (organization_id, project_id, model_id, name)
             SELECT $1, $2, $3, $4 WHERE (SELECT count(*) FROM model_versions WHERE organization_id = $1 AND model_id = $3) < $5
                                      OR EXISTS (SELECT 1 FROM model_versions WHERE model_id = $3 AND name = $4)
             ON CONFLICT (model_id, name) DO UPDATE SET name = EXCLUDED.name
             RETURNING id`,
      values: [tenant.organizationId, tenant.projectId, modelId, name, limits.versionsPerModel],
    });
    if (!r.rows[0]) throw limitExceeded('versionsPerModel', limits.versionsPerModel, `version "${name}" cannot be registered`);
    return r.rows[0].id;
  });
}

export async function loadModelColumns(q: Executor, tenant: Pick<TenantRef, 'organizationId'>, modelId: string): Promise<StoredColumn[]> {
  const r = await q.query<StoredColumn>({
    name: 'vigil_load_model_columns',
    text: 'SELECT role, name, kind FROM model_columns WHERE organization_id = $1 AND model_id = $2',
    values: [tenant.organizationId, modelId],
  });
  return r.rows;
}

/**
 * Adds columns not yet known; a column that already exists keeps its first-seen kind. The
 * model's columns count against `columnsPerModel`: when the new ones would pass it, none is
 * added (409 LIMIT_EXCEEDED).
 */
export async function addModelColumns(
  q: Executor,
  tenant: TenantRef,
  modelId: string,
  columns: StoredColumn[],
  limits: Pick<ResourceLimits, 'columnsPerModel'> = DEFAULT_RESOURCE_LIMITS,
): Promise<void> {
  if (columns.length === 0) return;
  await withParentLocked(q, { table: 'models', organizationId: tenant.organizationId, id: modelId }, async (c) => {
    const known = new Set((await loadModelColumns(c, tenant, modelId)).map((k) => `${k.role}\u0000${k.name}`));
    const fresh = new Map<string, StoredColumn>();
    for (const col of columns) {
      const key = `${col.role}\u0000${col.name}`;
      if (!known.has(key) && !fresh.has(key)) fresh.set(key, col);
    }
    if (fresh.size === 0) return;
    if (known.size + fresh.size > limits.columnsPerModel) {
      throw limitExceeded('columnsPerModel', limits.columnsPerModel, `the model has ${known.size} columns and ${fresh.size} new ones were sent`);
    }
    await c.query({
      name: 'vigil_add_model_columns',
      text: `INSERT INTO model_columns (organization_id, project_id, model_id, name, kind, role)
             SELECT $1, $2, $3, c.name, c.kind, c.role FROM json_to_recordset($4::json) AS c(name text, kind text, role text)
             ON CONFLICT (model_id, role, name) DO NOTHING`,
      values: [tenant.organizationId, tenant.projectId, modelId, JSON.stringify([...fresh.values()])],
    });
  });
}

/** Records values whose type disagrees with the column's stored kind. */
export async function addTypeMismatches(q: Executor, tenant: Pick<TenantRef, 'organizationId'>, modelId: string, mismatches: ColumnMismatch[]): Promise<void> {
  if (mismatches.length === 0) return;
  await q.query({
    name: 'vigil_add_type_mismatches',
    text: `UPDATE model_columns mc SET type_mismatch_count = mc.type_mismatch_count + c.count
           FROM json_to_recordset($3::json) AS c(role text, name text, count bigint)
           WHERE mc.organization_id = $1 AND mc.model_id = $2 AND mc.role = c.role AND mc.name = c.name`,
    values: [tenant.organizationId, modelId, JSON.stringify(mismatches)],
  });
}

/** A model with what monitoring it needs: project, segment tags, reference selection and drift options. */
export interface ModelRecord {
  id: string;
  projectId: string;
  slug: string;
  name: string;
  task: string | null;
  segmentTags: string[];
  referenceConfig: unknown;
  driftConfig: unknown;
  createdAt: Date;
}

const MODEL_FIELDS = { id: true, projectId: true, slug: true, name: true, task: true, segmentTags: true, referenceConfig: true, driftConfig: true, createdAt: true } as const;

export async function getModel(t: TenantDb, modelId: string): Promise<ModelRecord> {
  const m = await t.model.findUnique({ where: { id: modelId }, select: MODEL_FIELDS });
  if (!m) throw new VigilError('NOT_FOUND', 'model not found');
  return m;
}

/** A model of the project by its slug, or a NOT_FOUND naming it. */
export async function getModelBySlug(t: TenantDb, projectId: string, slug: string): Promise<ModelRecord> {
  const m = await t.model.findFirst({ where: { projectId, slug }, select: MODEL_FIELDS });
  if (!m) throw new VigilError('NOT_FOUND', `model "${slug}" does not exist in this project`);
  return m;
}

export interface ModelVersionRecord {
  id: string;
  name: string;
  createdAt: Date;
}

/** The model's versions, oldest first. */
export async function listModelVersions(t: TenantDb, modelId: string): Promise<ModelVersionRecord[]> {
  return t.modelVersion.findMany({ where: { modelId }, orderBy: { createdAt: 'asc' }, select: { id: true, name: true, createdAt: true } });
}

/** The project's models (slug order) with their versions. */
export async function listProjectModels(t: TenantDb, projectId: string): Promise<(ModelRecord & { versions: ModelVersionRecord[] })[]> {
  return t.model.findMany({
    where: { projectId },
    select: { ...MODEL_FIELDS, versions: { orderBy: { createdAt: 'asc' }, select: { id: true, name: true, createdAt: true } } },
    orderBy: { slug: 'asc' },
  });
}

/** One page of the project's models (slug order) with their versions: `limit` after the slug `after`, and whether more follow. */
export async function pageProjectModels(
  t: TenantDb,
  projectId: string,
  page: { limit: number; after?: string },
): Promise<{ models: (ModelRecord & { versions: ModelVersionRecord[] })[]; more: boolean }> {
  const rows = await t.model.findMany({
    where: { projectId, ...(page.after !== undefined ? { slug: { gt: page.after } } : {}) },
    select: { ...MODEL_FIELDS, versions: { orderBy: { createdAt: 'asc' }, select: { id: true, name: true, createdAt: true } } },
    orderBy: { slug: 'asc' },
    take: page.limit + 1,
  });
  return { models: rows.slice(0, page.limit), more: rows.length > page.limit };
}

export interface ModelColumnRecord extends StoredColumn {
  typeMismatches: number;
}

/** The model's columns, in (role, name) order. */
export async function listModelColumns(t: TenantDb, modelId: string): Promise<ModelColumnRecord[]> {
  const rows = await t.modelColumn.findMany({ where: { modelId }, orderBy: [{ role: 'asc' }, { name: 'asc' }] });
  return rows.map((c) => ({ role: c.role as ColumnRole, name: c.name, kind: c.kind as ColumnKind, typeMismatches: Number(c.typeMismatchCount) }));
}

/** One page of the model's columns in (role, name) order: `limit` after the column `after`, and whether more follow. */
export async function pageModelColumns(
  t: TenantDb,
  modelId: string,
  page: { limit: number; after?: { role: string; name: string } },
): Promise<{ columns: ModelColumnRecord[]; more: boolean }> {
  const after = page.after;
  const rows = await t.modelColumn.findMany({
    where: { modelId, ...(after ? { OR: [{ role: { gt: after.role } }, { role: after.role, name: { gt: after.name } }] } : {}) },
    orderBy: [{ role: 'asc' }, { name: 'asc' }],
    take: page.limit + 1,
  });
  const columns = rows.slice(0, page.limit).map((c) => ({ role: c.role as ColumnRole, name: c.name, kind: c.kind as ColumnKind, typeMismatches: Number(c.typeMismatchCount) }));
  return { columns, more: rows.length > page.limit };
}

/**
 * Changes a model's name, task, segment tags, drift options (null drift: the defaults again) or
 * column kinds, audit-logged. A kind override names a column the model has.
 */
export async function updateModelSettings(t: TenantDb, actor: Actor, modelId: string, s: ModelSettings & { columnKinds?: StoredColumn[] }): Promise<ModelRecord> {
  const { columnKinds, ...settings } = s;
  if (columnKinds?.length) {
    const known = new Set((await t.modelColumn.findMany({ where: { modelId }, select: { role: true, name: true } })).map((c) => `${c.role}:${c.name}`));
    const errors = columnKinds.flatMap((c, i) => (known.has(`${c.role}:${c.name}`) ? [] : [{ path: `columnKinds.${i}`, message: `the model has no ${c.role} column "${c.name}"` }]));
    if (errors.length > 0) throw validationError(errors);
  }
  return t.$transaction(async (tx) => {
    for (const c of columnKinds ?? []) await tx.modelColumn.updateMany({ where: { modelId, role: c.role, name: c.name }, data: { kind: c.kind } });
    const updated = await tx.model.update({
      where: { id: modelId },
      data: {
        ...(settings.name !== undefined ? { name: settings.name } : {}),
        ...(settings.task !== undefined ? { task: settings.task } : {}),
        ...(settings.segmentTags !== undefined ? { segmentTags: [...new Set(settings.segmentTags)] } : {}),
        ...(settings.drift !== undefined ? { driftConfig: settings.drift === null ? DbNull : (settings.drift as Prisma.InputJsonValue) } : {}),
      },
      select: MODEL_FIELDS,
    });
    await writeAudit(tx, actor, { action: AuditAction.modelUpdated, targetType: 'model', targetId: modelId, details: s as Prisma.InputJsonValue });
    return updated;
  });
}

/** Slug, name and project of models by id (models of other workspaces are left out). */
export async function modelsByIds(q: Executor, organizationId: string, modelIds: readonly string[]): Promise<{ id: string; slug: string; name: string; projectId: string }[]> {
  if (modelIds.length === 0) return [];
  const { rows } = await q.query<{ id: string; slug: string; name: string; project_id: string }>(
    `SELECT id, slug, name, project_id FROM models WHERE organization_id = $1 AND id = ANY($2::text[])`,
    [organizationId, [...new Set(modelIds)]],
  );
  return rows.map((m) => ({ id: m.id, slug: m.slug, name: m.name, projectId: m.project_id }));
}

/** Version id → name of the given models' versions. */
export async function versionNamesOf(q: Executor, organizationId: string, modelIds: readonly string[]): Promise<Map<string, string>> {
  if (modelIds.length === 0) return new Map();
  const { rows } = await q.query<{ id: string; name: string }>(`SELECT id, name FROM model_versions WHERE organization_id = $1 AND model_id = ANY($2::text[])`, [
    organizationId,
    [...modelIds],
  ]);
  return new Map(rows.map((v) => [v.id, v.name]));
}
