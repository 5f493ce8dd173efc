import { randomBytes } from 'node:crypto';
import type { Db, TestTenant } from '@vigil/db/testing';
import { generateSample } from '@vigil/metrics';
import type pg from 'pg';

export interface TestModel {
  modelId: string;
  versionId: string;
  slug: string;
}

/** A model with numerical feature `x`, categorical feature `c` and a numerical prediction. */
export async function createModel(db: Db, t: TestTenant): Promise<TestModel> {
  const slug = `m-${randomBytes(3).toString('hex')}`;
  const m = await db.system.model.create({ data: { organizationId: t.organizationId, projectId: t.projectId, slug, name: slug } });
  const v = await db.system.modelVersion.create({
    data: { organizationId: t.organizationId, projectId: t.projectId, modelId: m.id, name: 'default' },
  });
  await db.system.modelColumn.createMany({
    data: [
      { name: 'x', kind: 'numerical', role: 'feature' },
      { name: 'c', kind: 'categorical', role: 'feature' },
      { name: 'prediction', kind: 'numerical', role: 'prediction' },
    ].map((c) => ({ ...c, organizationId: t.organizationId, projectId: t.projectId, modelId: m.id })),
  });
  return { modelId: m.id, versionId: v.id, slug };
}

export interface Rows {
  x: Float64Array;
  c: (string | null)[];
}

export function rows(n: number, mu: number, seed: number): Rows {
  return {
    x: generateSample({ dist: 'normal', mu, sigma: 1, seed, n }) as Float64Array,
    c: generateSample({ dist: 'discrete', values: ['a', 'b', 'c'], weights: [0.5, 0.3, 0.2], seed: seed + 1, n }) as (string | null)[],
  };
}

/** Stores an uploaded reference dataset (rows as the API stores them). */
export async function insertReference(db: Db, t: TestTenant, model: TestModel, data: Rows): Promise<string> {
  const ds = await db.system.referenceDataset.create({
    data: { organizationId: t.organizationId, projectId: t.projectId, modelId: model.modelId, name: 'ref', source: 'upload', status: 'pending' },
  });
  const n = data.x.length;
  await db.pool.query(
    `INSERT INTO reference_rows (organization_id, reference_dataset_id, row_index, data)
     SELECT $1, $2, i - 1, jsonb_build_object('x', x, 'c', c, 'prediction', x * 2)
     FROM unnest($3::float8[], $4::text[]) WITH ORDINALITY AS r(x, c, i)`,
    [t.organizationId, ds.id, Array.from(data.x), data.c],
  );
  await db.system.referenceDataset.update({ where: { id: ds.id }, data: { rowCount: n } });
  return ds.id;
}

/** Inserts prediction events directly (as one ingest transaction would). */
export async function insertEvents(
  q: pg.Pool | pg.PoolClient,
  t: TestTenant,
  model: TestModel,
  data: Rows,
  at: Date,
  idPrefix = randomBytes(3).toString('hex'),
  tags?: (i: number) => Record<string, string>,
): Promise<void> {
  const tagValues = tags ? Array.from(data.x, (_, i) => JSON.stringify(tags(i))) : null;
  await q.query(
    `INSERT INTO prediction_event (organization_id, project_id, model_id, model_version_id, client_id, event_time, features, prediction, tags)
     SELECT $1, $2, $3, $4, $5 || i, $6, jsonb_build_object('x', x, 'c', c), to_jsonb(x * 2), g::jsonb
     FROM unnest($7::float8[], $8::text[], $9::text[]) WITH ORDINALITY AS r(x, c, g, i)`,
    [t.organizationId, t.projectId, model.modelId, model.versionId, idPrefix, at, Array.from(data.x), data.c, tagValues ?? data.c.map(() => null)],
  );
}
