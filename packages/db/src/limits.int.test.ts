import { afterAll, describe, expect, it } from 'vitest';
import { addModelColumns, loadModelColumns, upsertModel, upsertModelVersion } from './models.js';
import { createEventReference, createReferenceDataset } from './references.js';
import { createTestDb, createTestTenant } from './testing/index.js';

const db = createTestDb();
afterAll(() => db.close());

const limits = { modelsPerProject: 3, versionsPerModel: 2, columnsPerModel: 4, referencesPerModel: 2 };

async function tenant() {
  const t = await createTestTenant(db);
  return { t, ref: { organizationId: t.organizationId, projectId: t.projectId } };
}

const count = async (sql: string, id: string) => Number((await db.pool.query<{ n: string }>(sql, [id])).rows[0]!.n);

describe('resource caps', () => {
  it('registers at most MAX_MODELS_PER_PROJECT models, even when requests race for the last ones, and still finds known ones', async () => {
    const { t, ref } = await tenant();
    const first = await upsertModel(db.pool, ref, 'm0', limits);
    // Ten new slugs at once for two free slots: the project row lock lets exactly two through.
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => upsertModel(db.pool, ref, `race-${i}`, limits)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused).toHaveLength(8);
    for (const r of refused) {
      expect(r.reason).toMatchObject({ code: 'LIMIT_EXCEEDED', status: 409, details: { limit: 'MAX_MODELS_PER_PROJECT', value: 3 } });
      expect((r.reason as Error).message).toMatch(/^a project holds at most 3 models \(MAX_MODELS_PER_PROJECT = 3\): model "race-\d" cannot be registered$/);
    }
    expect(await count('SELECT count(*) AS n FROM models WHERE project_id = $1', t.projectId)).toBe(3);
    // A model the project already has is found at the cap.
    expect(await upsertModel(db.pool, ref, 'm0', limits)).toBe(first);
  });

  it('registers at most MAX_VERSIONS_PER_MODEL versions of a model', async () => {
    const { ref } = await tenant();
    const model = await upsertModel(db.pool, ref, 'versions', limits);
    const v1 = await upsertModelVersion(db.pool, ref, model, 'v1', limits);
    await upsertModelVersion(db.pool, ref, model, 'v2', limits);
    await expect(upsertModelVersion(db.pool, ref, model, 'v3', limits)).rejects.toThrow('a model holds at most 2 versions (MAX_VERSIONS_PER_MODEL = 2): version "v3" cannot be registered');
    expect(await upsertModelVersion(db.pool, ref, model, 'v1', limits)).toBe(v1);
    expect(await count('SELECT count(*) AS n FROM model_versions WHERE model_id = $1', model)).toBe(2);
  });

  it('adds no column of a batch that would take a model past MAX_COLUMNS_PER_MODEL', async () => {
    const { ref } = await tenant();
    const model = await upsertModel(db.pool, ref, 'columns', limits);
    const col = (name: string) => ({ role: 'feature' as const, name, kind: 'numerical' as const });
    await addModelColumns(db.pool, ref, model, [col('a'), col('b'), col('c')], limits);
    await expect(addModelColumns(db.pool, ref, model, [col('a'), col('d'), col('e')], limits)).rejects.toThrow(
      'a model holds at most 4 columns (MAX_COLUMNS_PER_MODEL = 4): the model has 3 columns and 2 new ones were sent',
    );
    expect((await loadModelColumns(db.pool, ref, model)).map((c) => c.name).sort()).toEqual(['a', 'b', 'c']);
    // Known columns and the last free slot still go in.
    await addModelColumns(db.pool, ref, model, [col('a'), col('d'), col('d')], limits);
    expect((await loadModelColumns(db.pool, ref, model)).map((c) => c.name).sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('keeps at most MAX_REFERENCES_PER_MODEL reference datasets per model, uploaded or built from events', async () => {
    const { t, ref } = await tenant();
    const model = await upsertModel(db.pool, ref, 'references', limits);
    await createReferenceDataset(db.pool, ref, model, 'upload', limits);
    await createEventReference(db.forTenant(t.organizationId), ref, model, { source: 'trailing', days: 7 }, limits);
    const message = 'a model holds at most 2 reference datasets (MAX_REFERENCES_PER_MODEL = 2)';
    await expect(createReferenceDataset(db.pool, ref, model, 'third', limits)).rejects.toThrow(message);
    await expect(createEventReference(db.forTenant(t.organizationId), ref, model, { source: 'trailing', days: 3 }, limits)).rejects.toThrow(message);
    expect(await count('SELECT count(*) AS n FROM reference_datasets WHERE model_id = $1', model)).toBe(2);
  });
});
