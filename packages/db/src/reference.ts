import type pg from 'pg';
import type { TenantRef } from './predictions.js';

export async function createReferenceDataset(pool: pg.Pool, tenant: TenantRef, modelId: string, name: string): Promise<string> {
  const r = await pool.query<{ id: string }>(
    `INSERT INTO reference_datasets (organization_id, project_id, model_id, name, source, status)
     VALUES ($1, $2, $3, $4, 'upload', 'receiving') RETURNING id`,
    [tenant.organizationId, tenant.projectId, modelId, name],
  );
  return r.rows[0]!.id;
}

/** Appends rows `firstIndex…` of a dataset in one multi-row statement. */
export async function insertReferenceRows(
  pool: pg.Pool,
  tenant: TenantRef,
  datasetId: string,
  firstIndex: number,
  rows: unknown[],
): Promise<void> {
  if (rows.length === 0) return;
  await pool.query({
    name: 'vigil_insert_reference_rows',
    text: `INSERT INTO reference_rows (organization_id, reference_dataset_id, row_index, data)
           SELECT $1, $2, $3 + r.ord - 1, r.value::jsonb FROM json_array_elements($4::json) WITH ORDINALITY AS r(value, ord)`,
    values: [tenant.organizationId, datasetId, firstIndex, JSON.stringify(rows)],
  });
}

/** Marks a fully received dataset as waiting for its profile. */
export async function completeReferenceDataset(pool: pg.Pool, tenant: TenantRef, datasetId: string, rowCount: number): Promise<void> {
  await pool.query(
    `UPDATE reference_datasets SET status = 'pending', row_count = $3 WHERE organization_id = $1 AND id = $2`,
    [tenant.organizationId, datasetId, rowCount],
  );
}

/** Removes a dataset whose upload failed, with its rows. */
export async function discardReferenceDataset(pool: pg.Pool, tenant: TenantRef, datasetId: string): Promise<void> {
  await pool.query('DELETE FROM reference_datasets WHERE organization_id = $1 AND id = $2', [tenant.organizationId, datasetId]);
}
