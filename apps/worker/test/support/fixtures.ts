import { randomBytes } from 'node:crypto';
import { insertNewPredictions } from '@vigil/db';
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

/** Stores prediction events directly, as one ingest request would (on `q`: a client may hold an open transaction). */
export async function insertEvents(
  q: pg.Pool | pg.PoolClient,
  t: TestTenant,
  model: TestModel,
  data: Rows,
  at: Date,
  idPrefix = randomBytes(3).toString('hex'),
  tags?: (i: number) => Record<string, string>,
): Promise<void> {
  await insertNewPredictions(
    q,
    t,
    Array.from(data.x, (x, i) => ({
      modelId: model.modelId,
      modelVersionId: model.versionId,
      id: `${idPrefix}${i + 1}`,
      time: at.getTime(),
      features: { x, c: data.c[i] ?? null },
      prediction: x * 2,
      ...(tags ? { tags: tags(i) } : {}),
    })),
  );
}
