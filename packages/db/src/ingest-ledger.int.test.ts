import { afterAll, describe, expect, it } from 'vitest';
import { ingestLedger, insertPredictions } from './index.js';
import { createTestDb, createTestTenant, type TestTenant } from './testing/index.js';

const db = createTestDb();
afterAll(() => db.close());

async function versionOf(t: TestTenant) {
  const m = await db.system.model.create({ data: { organizationId: t.organizationId, projectId: t.projectId, slug: `m-${t.tag}`, name: 'm' } });
  const v = await db.system.modelVersion.create({ data: { organizationId: t.organizationId, projectId: t.projectId, modelId: m.id, name: 'default' } });
  return { modelId: m.id, modelVersionId: v.id };
}

const events = (ids: string[], m: { modelId: string; modelVersionId: string }) =>
  ids.map((id, i) => ({ ...m, id, time: Date.now() - 3_600_000 + i, features: { x: i }, prediction: 1 }));

describe('ingest ledger', () => {
  it('counts a project’s stored events once per id, and nothing of another tenant', async () => {
    const [a, b] = [await createTestTenant(db), await createTestTenant(db)];
    const [ma, mb] = [await versionOf(a), await versionOf(b)];
    await insertPredictions(db.pool, a, events(['1', '2', '3'], ma));
    await insertPredictions(db.pool, a, events(['3', '4'], ma)); // '3' again: stored once
    await insertPredictions(db.pool, b, events(['1', '2'], mb));
    expect(await ingestLedger(db.pool, a)).toEqual({ storedEvents: 4, distinctIds: 4, mergedEvents: 0, hourProfileEvents: 0 });
    expect(await ingestLedger(db.pool, b)).toEqual({ storedEvents: 2, distinctIds: 2, mergedEvents: 0, hourProfileEvents: 0 });
    // Another workspace's id with this project: nothing.
    expect(await ingestLedger(db.pool, { organizationId: b.organizationId, projectId: a.projectId })).toEqual({ storedEvents: 0, distinctIds: 0, mergedEvents: 0, hourProfileEvents: 0 });
  });
});
