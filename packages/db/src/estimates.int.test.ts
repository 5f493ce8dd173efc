import { afterAll, describe, expect, it } from 'vitest';
import { deleteMinuteEstimateStatesBefore, estimateStatesInRange, loadEstimateStates, referenceEstimator, upsertEstimateStates } from './estimates.js';
import { markReferenceReady } from './references.js';
import { createTestDb, createTestTenant } from './testing/index.js';

const db = createTestDb();
afterAll(() => db.close());

async function version(t: Awaited<ReturnType<typeof createTestTenant>>) {
  const m = await db.system.model.create({ data: { organizationId: t.organizationId, projectId: t.projectId, slug: `m-${t.tag}`, name: 'm' } });
  const v = await db.system.modelVersion.create({ data: { organizationId: t.organizationId, projectId: t.projectId, modelId: m.id, name: 'default' } });
  return { organizationId: t.organizationId, projectId: t.projectId, modelId: m.id, modelVersionId: v.id };
}

const HOUR = 3_600_000;
const T = Date.UTC(2026, 0, 1, 10);

describe('estimate sums and fitted estimators', () => {
  it('stores, replaces and reads window sums, and never another tenant’s', async () => {
    const a = await version(await createTestTenant(db));
    const b = await version(await createTestTenant(db));
    const hour = { granularity: 'hour' as const, windowStart: T, segment: '' };
    await upsertEstimateStates(db.pool, a, [{ key: hour, events: 3, state: { estimator: 'r', pca: { rows: 3, sum: 1, sumSquares: 2 } } }]);
    await upsertEstimateStates(db.pool, a, [{ key: hour, events: 5, state: { estimator: 'r', pca: { rows: 5, sum: 2, sumSquares: 3 } } }]);
    expect(await loadEstimateStates(db.pool, a, [hour, { ...hour, windowStart: T + HOUR }])).toEqual([{ key: hour, state: { estimator: 'r', pca: { rows: 5, sum: 2, sumSquares: 3 } } }]);
    // Another tenant naming the version reads nothing and cannot overwrite it.
    const intruder = { ...b, modelVersionId: a.modelVersionId };
    expect(await loadEstimateStates(db.pool, intruder, [hour])).toEqual([]);
    expect(await estimateStatesInRange(db.pool, { ...intruder, granularity: 'hour', segment: '', from: new Date(T), to: new Date(T + HOUR) })).toEqual([]);
    await upsertEstimateStates(db.pool, intruder, [{ key: hour, events: 1, state: { estimator: 'evil' } }]);
    const range = await estimateStatesInRange(db.pool, { ...a, granularity: 'hour', segment: '', from: new Date(T), to: new Date(T + HOUR) });
    expect(range).toEqual([{ windowStart: T, state: { estimator: 'r', pca: { rows: 5, sum: 2, sumSquares: 3 } } }]);
  });

  it('compacts minute sums only', async () => {
    const a = await version(await createTestTenant(db));
    const old = Date.UTC(2020, 0, 1);
    await upsertEstimateStates(db.pool, a, [
      { key: { granularity: 'minute', windowStart: old, segment: '' }, events: 1, state: {} },
      { key: { granularity: 'hour', windowStart: old, segment: '' }, events: 1, state: {} },
    ]);
    expect(await deleteMinuteEstimateStatesBefore(db.pool, new Date(old + 60_000))).toBeGreaterThanOrEqual(1);
    const left = await db.pool.query(`SELECT granularity FROM estimate_state WHERE model_version_id = $1`, [a.modelVersionId]);
    expect(left.rows).toEqual([{ granularity: 'hour' }]);
  });

  it('keeps the estimator with the reference it was fitted on, for its tenant only', async () => {
    const ta = await createTestTenant(db);
    const tb = await createTestTenant(db);
    const a = await version(ta);
    const ds = await db.system.referenceDataset.create({ data: { organizationId: ta.organizationId, projectId: ta.projectId, modelId: a.modelId, name: 'ref', source: 'upload', status: 'pending' } });
    await markReferenceReady(db.forTenant(ta.organizationId), ds.id, { rows: 10, profile: { rowCount: 10 }, estimator: { version: 1, cbpe: null, pca: null, notes: ['no labels'] } });
    expect(await referenceEstimator(db.forTenant(ta.organizationId), ds.id)).toMatchObject({ notes: ['no labels'] });
    expect(await referenceEstimator(db.forTenant(tb.organizationId), ds.id)).toBeNull();
    await markReferenceReady(db.forTenant(ta.organizationId), ds.id, { rows: 10, profile: { rowCount: 10 } });
    expect(await referenceEstimator(db.forTenant(ta.organizationId), ds.id)).toBeNull();
  });
});
