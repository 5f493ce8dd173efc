import { createTestDb, createTestTenant } from '@vigil/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createModel, insertEvents, insertReference, rows } from '../../../test/support/fixtures.js';
import { buildReferenceProfile } from '@vigil/services';
import { streamModelVersion } from './stream-events.js';

const db = createTestDb();
afterAll(() => db.close());

/**
 * Streams until `expected` events were merged in all (other suites' open write transactions
 * may hold the frontier back for a moment), then checks one more run merges nothing.
 */
async function drain(job: Parameters<typeof streamModelVersion>[1], expected: number): Promise<number> {
  let merged = 0;
  const deadline = Date.now() + 15_000;
  while (merged < expected && Date.now() < deadline) {
    merged += (await streamModelVersion(db, job)).events;
    if (merged < expected) await new Promise((r) => setTimeout(r, 50));
  }
  merged += (await streamModelVersion(db, job)).events;
  return merged;
}

async function rolling(organizationId: string, modelId: string, metric: string, column = '') {
  return db.forTenant(organizationId).metricPoint.findMany({
    where: { modelId, metric, columnName: column, granularity: 'rolling_1h' },
    orderBy: { windowStart: 'desc' },
  });
}

describe('streaming metrics', () => {
  it('flags the shifted feature as drifted in the rolling window and leaves the stable one alone', async () => {
    const t = await createTestTenant(db);
    const model = await createModel(db, t);
    const datasetId = await insertReference(db, t, model, rows(2_000, 0, 10));
    const ref = await buildReferenceProfile(db, { organizationId: t.organizationId, projectId: t.projectId, modelId: model.modelId, referenceDatasetId: datasetId });
    expect(ref.rows).toBe(2_000);

    const now = Date.now();
    await insertEvents(db.pool, t, model, rows(3_000, 0.8, 20), new Date(now - 5_000));
    expect(await drain({ organizationId: t.organizationId, modelId: model.modelId, modelVersionId: model.versionId }, 3_000)).toBe(3_000);

    const [x] = await rolling(t.organizationId, model.modelId, 'drift_detected', 'x');
    const [c] = await rolling(t.organizationId, model.modelId, 'drift_detected', 'c');
    expect(x?.value).toBe(1);
    expect(x?.details).toMatchObject({ test: 'wasserstein', threshold: 0.1 });
    expect(c?.value).toBe(0);
    expect(c?.details).toMatchObject({ test: 'jensenshannon' });
    const [count] = await rolling(t.organizationId, model.modelId, 'prediction_count');
    expect(count?.value).toBe(3_000);
    const [share] = await rolling(t.organizationId, model.modelId, 'drifted_columns_share');
    expect(share?.value).toBe(0.5);
  });

  it('never merges an event twice, and merges the events of a transaction that committed late', async () => {
    const t = await createTestTenant(db);
    const model = await createModel(db, t);
    const job = { organizationId: t.organizationId, modelId: model.modelId, modelVersionId: model.versionId };
    const at = new Date(Date.now() - 60_000);
    await insertEvents(db.pool, t, model, rows(500, 0, 1), at);

    // A slow ingest transaction takes its id first but commits after the next run; events of
    // transactions that began after it wait with it (they are above the frontier), none is lost.
    const slow = await db.pool.connect();
    try {
      await slow.query('BEGIN');
      await insertEvents(slow, t, model, rows(200, 0, 2), at);
      await insertEvents(db.pool, t, model, rows(300, 0, 3), at);
      // Only the 500 committed before the slow transaction began can be merged now.
      expect(await drain(job, 500)).toBe(500);
      expect((await streamModelVersion(db, job)).events).toBe(0);
      await slow.query('COMMIT');
    } finally {
      await slow.query('ROLLBACK').catch(() => {});
      slow.release();
    }
    expect(await drain(job, 500)).toBe(500);

    const hour = await db.forTenant(t.organizationId).metricPoint.findFirstOrThrow({
      where: { modelId: model.modelId, metric: 'prediction_count', granularity: 'hour' },
    });
    expect(hour.value).toBe(1_000);
  });

  it('computes every metric per segment for the tags the model marks as segments', async () => {
    const t = await createTestTenant(db);
    const model = await createModel(db, t);
    await db.system.model.update({ where: { id: model.modelId }, data: { segmentTags: ['country'] } });
    const job = { organizationId: t.organizationId, modelId: model.modelId, modelVersionId: model.versionId };
    await insertEvents(db.pool, t, model, rows(300, 0, 5), new Date(Date.now() - 20_000), undefined, (i) => ({ country: i % 3 === 0 ? 'DE' : 'FR', other: 'x' }));
    expect(await drain(job, 300)).toBe(300);
    const counts = await db.forTenant(t.organizationId).metricPoint.findMany({
      where: { modelId: model.modelId, metric: 'prediction_count', granularity: 'hour' },
      orderBy: { segment: 'asc' },
    });
    expect(counts.map((c) => [c.segment, c.value])).toEqual([
      ['', 300],
      ['country=DE', 100],
      ['country=FR', 200],
    ]);
  });

  it('gives the same profiles when two runs race for the same version', async () => {
    const t = await createTestTenant(db);
    const model = await createModel(db, t);
    const job = { organizationId: t.organizationId, modelId: model.modelId, modelVersionId: model.versionId };
    await insertEvents(db.pool, t, model, rows(2_000, 0, 4), new Date(Date.now() - 30_000));
    const results = await Promise.all([streamModelVersion(db, job), streamModelVersion(db, job), streamModelVersion(db, job)]);
    const merged = results.reduce((s, r) => s + r.events, 0) + (await drain(job, 2_000 - results.reduce((s, r) => s + r.events, 0)));
    expect(merged).toBe(2_000);
    const day = await db.forTenant(t.organizationId).columnProfile.findFirstOrThrow({
      where: { modelVersionId: model.versionId, granularity: 'day', columnName: 'x', role: 'feature', segment: '' },
    });
    expect(Number(day.eventCount)).toBe(2_000);
  });
});
