import { createTestDb, createTestTenant } from '@vigil/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createModel, insertReference, rows } from '../../../test/support/fixtures.js';
import { buildReferenceProfile } from '@vigil/services';
import { pendingReferences } from './sweep.js';

const db = createTestDb();
afterAll(() => db.close());

describe('reference sweep', () => {
  it('finds a reference whose profile job was lost, and none that is new or built', async () => {
    const t = await createTestTenant(db);
    const model = await createModel(db, t);
    const lost = await insertReference(db, t, model, rows(200, 0, 1));
    const fresh = await insertReference(db, t, model, rows(200, 0, 2));
    await db.pool.query(`UPDATE reference_datasets SET created_at = now() - interval '5 minutes' WHERE id = $1`, [lost]);
    const mine = async () => (await pendingReferences(db, 60_000, 10_000)).filter((j) => j.organizationId === t.organizationId);

    expect(await mine()).toEqual([{ organizationId: t.organizationId, projectId: t.projectId, modelId: model.modelId, referenceDatasetId: lost }]);
    expect((await mine()).map((j) => j.referenceDatasetId)).not.toContain(fresh);

    await buildReferenceProfile(db, (await mine())[0]!);
    expect(await mine()).toEqual([]);
    const built = await db.system.referenceDataset.findUniqueOrThrow({ where: { id: lost } });
    expect(built.status).toBe('ready');
  });
});
