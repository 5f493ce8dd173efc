import { afterAll, describe, expect, it } from 'vitest';
import { upsertMetricPoints, type MetricPointInput } from './metric-points.js';
import { createTestDb, createTestTenant } from './testing/index.js';

const db = createTestDb();
afterAll(() => db.close());

async function model(t: Awaited<ReturnType<typeof createTestTenant>>) {
  const m = await db.system.model.create({
    data: { organizationId: t.organizationId, projectId: t.projectId, slug: `m-${t.tag}`, name: 'm' },
  });
  const v = await db.system.modelVersion.create({
    data: { organizationId: t.organizationId, projectId: t.projectId, modelId: m.id, name: 'default' },
  });
  return { modelId: m.id, versionId: v.id };
}

describe('metric point upsert', () => {
  it('replaces the value of an existing key instead of adding a second point', async () => {
    const t = await createTestTenant(db);
    const { modelId, versionId } = await model(t);
    const base: MetricPointInput = {
      organizationId: t.organizationId,
      projectId: t.projectId,
      modelId,
      modelVersionId: versionId,
      metric: 'mean',
      columnName: 'amount',
      granularity: 'hour',
      windowStart: new Date('2026-01-01T10:00:00Z'),
      value: 1,
    };
    await upsertMetricPoints(db.pool, [base, { ...base, modelVersionId: null, value: 5 }]);
    await upsertMetricPoints(db.pool, [{ ...base, value: 2, details: { n: 3 } }, { ...base, modelVersionId: null, value: 6 }]);
    const rows = await db.forTenant(t.organizationId).metricPoint.findMany({ orderBy: { value: 'asc' } });
    expect(rows.map((r) => [r.modelVersionId, r.value])).toEqual([
      [versionId, 2],
      [null, 6],
    ]);
    expect(rows[0]!.details).toEqual({ n: 3 });
  });

  it('keeps the last of duplicate keys in one call and skips non-finite values', async () => {
    const t = await createTestTenant(db);
    const { modelId, versionId } = await model(t);
    const p: MetricPointInput = {
      organizationId: t.organizationId,
      projectId: t.projectId,
      modelId,
      modelVersionId: versionId,
      metric: 'prediction_count',
      granularity: 'minute',
      windowStart: new Date('2026-01-01T10:01:00Z'),
      value: 10,
    };
    const n = await upsertMetricPoints(db.pool, [p, { ...p, value: 11 }, { ...p, metric: 'r2', value: Number.NaN }]);
    expect(n).toBe(1);
    const rows = await db.forTenant(t.organizationId).metricPoint.findMany();
    expect(rows.map((r) => [r.metric, r.value])).toEqual([['prediction_count', 11]]);
  });
});
