import { MetricName } from '@vigil/contracts';
import { advanceStream, upsertMetricPoints, upsertModel, upsertModelVersion, type MetricPointInput } from '@vigil/db';
import { createTestDb, createTestTenant } from '@vigil/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { workspaceOverview } from './overview.js';

const db = createTestDb();
afterAll(() => db.close());

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * A model with 40 days of hour and day prediction counts (every hour 10 predictions, so a day
 * holds 240), a drifted feature in its newest complete hour and 15 labelled days of F1.
 */
async function seedModel() {
  const t = await createTestTenant(db);
  const tenant = { organizationId: t.organizationId, projectId: t.projectId };
  const modelId = await upsertModel(db.pool, tenant, 'fraud');
  const versionId = await upsertModelVersion(db.pool, tenant, modelId, 'v1');
  const now = Math.floor(Date.now() / HOUR) * HOUR + 30 * 60_000; // half past an hour
  const base = { organizationId: t.organizationId, projectId: t.projectId, modelId, modelVersionId: versionId };
  const points: MetricPointInput[] = [];
  const firstDay = Math.floor((now - 40 * DAY) / DAY) * DAY;
  for (let h = firstDay; h <= now; h += HOUR) points.push({ ...base, metric: MetricName.predictionCount, granularity: 'hour', windowStart: new Date(h), value: 10 });
  for (let d = firstDay; d <= now; d += DAY) {
    const hours = Math.min(24, Math.floor((now - d) / HOUR) + 1);
    points.push({ ...base, metric: MetricName.predictionCount, granularity: 'day', windowStart: new Date(d), value: 10 * hours });
  }
  const newest = now - 30 * 60_000 - HOUR; // the newest hour that has ended
  for (const [column, drifted] of [['amount', 1], ['country', 0], ['age', 0], ['channel', 0]] as const) {
    points.push({ ...base, metric: MetricName.driftDetected, columnName: column, granularity: 'hour', windowStart: new Date(newest), value: drifted });
  }
  for (let d = 1; d <= 15; d++) {
    const day = new Date(Math.floor((now - d * DAY) / DAY) * DAY);
    points.push({ ...base, metric: MetricName.f1, granularity: 'day', windowStart: day, value: d === 1 ? 0.5 : 0.9 });
    points.push({ ...base, metric: MetricName.labelCount, granularity: 'day', windowStart: day, value: 500 });
  }
  await upsertMetricPoints(db.pool, points);
  await advanceStream(db.pool, t.organizationId, versionId, '1', { events: 1, newestEvent: now - 60_000 });
  return { t, modelId, now, newest };
}

describe('workspace overview', () => {
  it('sums predictions into at most 48 sparkline buckets per range, the same total from hour and from day windows', async () => {
    const { t, modelId, now } = await seedModel();
    const scope = { organizationId: t.organizationId, teamIds: [t.teamId] };
    for (const range of ['24h', '7d', '30d'] as const) {
      const o = await workspaceOverview(db, scope, { range }, now);
      const row = o.models.find((m) => m.id === modelId)!;
      expect(row.volume.length, range).toBeLessThanOrEqual(48);
      expect(row.volume.length, range).toBeGreaterThanOrEqual(24);
      expect(row.volume.length * o.volumeBucketMs, range).toBeGreaterThanOrEqual(o.range.to - o.range.from);
      // Every complete bucket holds 10 predictions per hour it spans.
      const full = row.volume.slice(1, -1);
      expect(new Set(full), range).toEqual(new Set([10 * (o.volumeBucketMs / HOUR)]));
    }
    // 30 days are drawn from day windows, one point per UTC day.
    const month = await workspaceOverview(db, scope, { range: '30d' }, now);
    expect(month.volumeBucketMs).toBe(DAY);
  });

  it('judges the newest complete hour and the labelled days', async () => {
    const { t, modelId, now, newest } = await seedModel();
    const o = await workspaceOverview(db, { organizationId: t.organizationId, teamIds: [t.teamId] }, { range: '7d' }, now);
    const row = o.models.find((m) => m.id === modelId)!;
    expect(row.drift).toEqual({ share: 0.25, driftedColumns: ['amount'], columns: 4, datasetDrift: false, windowStart: newest });
    expect(row.performance).toMatchObject({ metric: MetricName.f1, value: 0.5 });
    expect(row.performance?.baseline).toBeCloseTo(0.9, 12);
    expect(row.performance?.days.at(-1)).toBe(0.5);
    expect(row.performance?.days.length).toBeGreaterThanOrEqual(14);
    expect(row.lastEventAt).toBe(now - 60_000);
  });

  it('shows no model of another workspace', async () => {
    const { modelId } = await seedModel();
    const other = await createTestTenant(db);
    const o = await workspaceOverview(db, { organizationId: other.organizationId, teamIds: [other.teamId] }, { range: '7d' });
    expect(o.models.map((m) => m.id)).not.toContain(modelId);
  });
});
