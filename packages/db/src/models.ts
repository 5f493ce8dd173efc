import type { ColumnKind, ColumnRole } from '@vigil/contracts';
import type pg from 'pg';
import type { TenantRef } from './predictions.js';

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
 * Registers a model on first sight (or finds it) and returns its id. `DO UPDATE` with a no-op
 * assignment makes the statement return the row even when a concurrent request created it.
 */
export async function upsertModel(pool: pg.Pool, tenant: TenantRef, slug: string): Promise<string> {
  const r = await pool.query<{ id: string }>({
    name: 'vigil_upsert_model',
    text: `INSERT INTO models (organization_id, project_id, slug, name) VALUES ($1, $2, $3, $3)
           ON CONFLICT (project_id, slug) DO UPDATE SET slug = EXCLUDED.slug
           RETURNING id`,
    values: [tenant.organizationId, tenant.projectId, slug],
  });
  return r.rows[0]!.id;
}

export async function upsertModelVersion(pool: pg.Pool, tenant: TenantRef, modelId: string, name: string): Promise<string> {
  const r = await pool.query<{ id: string }>({
    name: 'vigil_upsert_model_version',
    text: `INSERT INTO model_versions (organization_id, project_id, model_id, name) VALUES ($1, $2, $3, $4)
           ON CONFLICT (model_id, name) DO UPDATE SET name = EXCLUDED.name
           RETURNING id`,
    values: [tenant.organizationId, tenant.projectId, modelId, name],
  });
  return r.rows[0]!.id;
}

export async function loadModelColumns(pool: pg.Pool, tenant: TenantRef, modelId: string): Promise<StoredColumn[]> {
  const r = await pool.query<StoredColumn>({
    name: 'vigil_load_model_columns',
    text: 'SELECT role, name, kind FROM model_columns WHERE organization_id = $1 AND model_id = $2',
    values: [tenant.organizationId, modelId],
  });
  return r.rows;
}

/** Adds columns not yet known; a column that already exists keeps its first-seen kind. */
export async function addModelColumns(pool: pg.Pool, tenant: TenantRef, modelId: string, columns: StoredColumn[]): Promise<void> {
  if (columns.length === 0) return;
  await pool.query({
    name: 'vigil_add_model_columns',
    text: `INSERT INTO model_columns (organization_id, project_id, model_id, name, kind, role)
           SELECT $1, $2, $3, c.name, c.kind, c.role FROM json_to_recordset($4::json) AS c(name text, kind text, role text)
           ON CONFLICT (model_id, role, name) DO NOTHING`,
    values: [tenant.organizationId, tenant.projectId, modelId, JSON.stringify(columns)],
  });
}

/** Records values whose type disagrees with the column's stored kind. */
export async function addTypeMismatches(pool: pg.Pool, tenant: TenantRef, modelId: string, mismatches: ColumnMismatch[]): Promise<void> {
  if (mismatches.length === 0) return;
  await pool.query({
    name: 'vigil_add_type_mismatches',
    text: `UPDATE model_columns mc SET type_mismatch_count = mc.type_mismatch_count + c.count
           FROM json_to_recordset($3::json) AS c(role text, name text, count bigint)
           WHERE mc.organization_id = $1 AND mc.model_id = $2 AND mc.role = c.role AND mc.name = c.name`,
    values: [tenant.organizationId, modelId, JSON.stringify(mismatches)],
  });
}
