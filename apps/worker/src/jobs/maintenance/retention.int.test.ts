import { insertLabels, upsertMetricPoints } from '@vigil/db';
import { createTestDb, createTestTenant } from '@vigil/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createModel, insertEvents, rows } from '../../../test/support/fixtures.js';
import { applyRetention, compactProfiles, compactRollingPoints, ROLLING_POINTS_KEPT_DAYS } from './retention.js';

const db = createTestDb();
afterAll(() => db.close());
const DAY = 86_400_000;

describe('retention', () => {
  it('deletes a project’s events, idempotency keys and labels older than its retention, and nothing of other projects', async () => {
    const short = await createTestTenant(db);
    const long = await createTestTenant(db);
    await db.system.project.update({ where: { id: short.projectId }, data: { retentionDays: 2 } });
    const now = Date.now();
    for (const t of [short, long]) {
      const m = await createModel(db, t);
      await insertEvents(db.pool, t, m, rows(30, 0, 1), new Date(now - 5 * DAY), `old-${t.tag}-`);
      await insertEvents(db.pool, t, m, rows(20, 0, 2), new Date(now - 1000), `new-${t.tag}-`);
      await insertLabels(db.pool, t, [
        { id: `old-${t.tag}-1`, time: now - 5 * DAY + 60_000, label: 1 },
        { id: `new-${t.tag}-1`, time: now - 500, label: 0 },
      ]);
    }
    const r = await applyRetention(db, now, { projectIds: [short.projectId, long.projectId], batch: 7, dropPartitions: false });
    expect(r).toMatchObject({ deletedEvents: 30, deletedKeys: 30, deletedLabels: 1 });
    const count = async (sql: string, projectId: string) => (await db.pool.query<{ n: number }>(sql, [projectId])).rows[0]!.n;
    const events = (projectId: string) => count(`SELECT coalesce(sum(event_count), 0)::int AS n FROM prediction_batch WHERE project_id = $1`, projectId);
    const keys = (projectId: string) => count(`SELECT count(*)::int AS n FROM prediction_key WHERE project_id = $1`, projectId);
    const labels = (projectId: string) => count(`SELECT count(*)::int AS n FROM prediction_label WHERE project_id = $1`, projectId);
    expect([await events(short.projectId), await keys(short.projectId), await labels(short.projectId)]).toEqual([20, 20, 1]);
    expect([await events(long.projectId), await keys(long.projectId), await labels(long.projectId)]).toEqual([50, 50, 2]);
  });

  it('drops whole daily partitions before a day', async () => {
    await db.pool.query(`SELECT vigil_ensure_partitions('2001-01-01', '2001-01-02')`);
    const { rows: r } = await db.pool.query<{ n: number }>(`SELECT vigil_drop_partitions_before('2001-01-02') AS n`);
    expect(r[0]!.n).toBe(1);
    const { rows: left } = await db.pool.query(`SELECT to_regclass('prediction_batch_20010102') AS t, to_regclass('prediction_batch_20010101') AS gone`);
    expect(left[0]).toEqual({ t: 'prediction_batch_20010102', gone: null });
    await db.pool.query(`DROP TABLE prediction_batch_20010102`);
  });

  it('removes minute profiles older than two days and keeps hour and day profiles', async () => {
    const t = await createTestTenant(db);
    const m = await createModel(db, t);
    const old = new Date(Date.now() - 3 * DAY);
    for (const granularity of ['minute', 'hour', 'day']) {
      await db.pool.query(
        `INSERT INTO column_profile (organization_id, project_id, model_id, model_version_id, column_name, role, granularity, window_start, profile)
         VALUES ($1, $2, $3, $4, 'x', 'feature', $5, $6, '{}')`,
        [t.organizationId, t.projectId, m.modelId, m.versionId, granularity, old],
      );
    }
    expect(await compactProfiles(db, Date.now())).toBeGreaterThanOrEqual(1);
    const left = await db.forTenant(t.organizationId).columnProfile.findMany({ where: { modelVersionId: m.versionId } });
    expect(left.map((p) => p.granularity).sort()).toEqual(['day', 'hour']);
  });

  it('removes rolling-1h points older than the rolling backtest reaches, and keeps hour points and newer rolling ones', async () => {
    const t = await createTestTenant(db);
    const m = await createModel(db, t);
    const point = (granularity: 'rolling_1h' | 'hour', daysAgo: number) => ({
      organizationId: t.organizationId,
      projectId: t.projectId,
      modelId: m.modelId,
      modelVersionId: m.versionId,
      metric: 'prediction_count',
      granularity,
      windowStart: new Date(Math.floor((Date.now() - daysAgo * DAY) / 60_000) * 60_000),
      value: 1,
    });
    await upsertMetricPoints(db.pool, [point('rolling_1h', ROLLING_POINTS_KEPT_DAYS + 1), point('rolling_1h', ROLLING_POINTS_KEPT_DAYS - 1), point('hour', ROLLING_POINTS_KEPT_DAYS + 1)]);
    expect(await compactRollingPoints(db, Date.now())).toBeGreaterThanOrEqual(1);
    const left = await db.forTenant(t.organizationId).metricPoint.findMany({ where: { modelId: m.modelId }, orderBy: { windowStart: 'asc' } });
    expect(left.map((p) => p.granularity)).toEqual(['hour', 'rolling_1h']);
  });
});
