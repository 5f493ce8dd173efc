import { MetricName, VigilError } from '@vigil/contracts';
import { estimateBuckets, reconstructionBuckets, upsertMetricPoints, upsertModel, upsertModelVersion, type MetricPointInput } from '@vigil/db';
import { createTestDb, createTestTenant } from '@vigil/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { multivariateDrift, performanceEstimate } from './estimates.js';

const db = createTestDb();
afterAll(() => db.close());

const HOUR = 3_600_000;

/**
 * A model with six hours of estimated F1 (band and reference band in the details), realized F1
 * for the first three of them (the third on 10 labels), and the reconstruction error of each
 * hour, the fifth drifted.
 */
async function seedModel() {
  const t = await createTestTenant(db);
  const tenant = { organizationId: t.organizationId, projectId: t.projectId };
  const modelId = await upsertModel(db.pool, tenant, 'fraud');
  const versionId = await upsertModelVersion(db.pool, tenant, modelId, 'v1');
  const now = Math.floor(Date.now() / HOUR) * HOUR + 30 * 60_000;
  const first = now - 30 * 60_000 - 5 * HOUR;
  const base = { organizationId: t.organizationId, projectId: t.projectId, modelId, modelVersionId: versionId, granularity: 'hour' as const };
  const points: MetricPointInput[] = [];
  for (let i = 0; i < 6; i++) {
    const windowStart = new Date(first + i * HOUR);
    const value = 0.9 - 0.05 * i;
    points.push({ ...base, metric: MetricName.estimatedF1, windowStart, value, details: { samplingError: 0.01, lower: value - 0.03, upper: value + 0.03, thresholdLower: 0.8, thresholdUpper: 0.95 } });
    points.push({ ...base, metric: MetricName.estimatedAccuracy, windowStart, value: 0.5, details: {} });
    if (i < 3) {
      points.push({ ...base, metric: MetricName.f1, windowStart, value: value - 0.01 });
      points.push({ ...base, metric: MetricName.labelCount, windowStart, value: i === 2 ? 10 : 200 });
      points.push({ ...base, metric: MetricName.labelCoverage, windowStart, value: i === 2 ? 0.05 : 1 });
    }
    points.push({ ...base, metric: MetricName.reconstructionError, windowStart, value: i === 4 ? 2.5 : 1.1, details: { lower: 0.9, upper: 1.4, drifted: i === 4, samplingError: 0.05 } });
  }
  await upsertMetricPoints(db.pool, points);
  return { t, modelId, versionId, now, first };
}

describe('estimated performance and multivariate drift charts', () => {
  it('gives each hour its estimate, band, reference band and the realized value where labels arrived', async () => {
    const { t, modelId, now, first } = await seedModel();
    const e = await performanceEstimate(db, t.organizationId, { modelId, time: { range: '7d' }, metric: MetricName.estimatedF1 }, now);
    expect(e.realizedMetric).toBe(MetricName.f1);
    expect(e.bucketMs).toBe(HOUR);
    expect(e.points.map((p) => p.t)).toEqual([0, 1, 2, 3, 4, 5].map((i) => first + i * HOUR));
    const [p0, , p2, p3] = e.points;
    expect(p0).toMatchObject({ samplingError: 0.01, thresholdLower: 0.8, thresholdUpper: 0.95, labels: 200, labelCoverage: 1, provisional: false });
    expect(p0!.value).toBeCloseTo(0.9, 12);
    expect(p0!.lower).toBeCloseTo(0.87, 12);
    expect(p0!.upper).toBeCloseTo(0.93, 12);
    expect(p0!.realized).toBeCloseTo(0.89, 12);
    // Ten labels: shown, but provisional.
    expect(p2).toMatchObject({ labels: 10, provisional: true });
    // No labels yet: the estimate alone.
    expect(p3).toMatchObject({ realized: null, labels: null, provisional: false });
    expect(e.latest?.t).toBe(first + 5 * HOUR);
    expect(e.latest?.realized).toBeNull();
    expect(e.latest?.value).toBeCloseTo(0.65, 12);
  });

  it('reads hour windows for the 24-hour range, and averages value and band over the windows of a wider bucket', async () => {
    const { t, modelId, now } = await seedModel();
    const day = await performanceEstimate(db, t.organizationId, { modelId, time: { range: '24h' }, metric: MetricName.estimatedF1 }, now);
    expect(day.bucketMs).toBe(HOUR);
    expect(day.range.source).toBe('hour');
    // On hour boundaries, so the chart's buckets meet the hour windows.
    expect([day.range.from % HOUR, day.range.to % HOUR]).toEqual([0, 0]);
    expect(day.points).toHaveLength(6);
    const wide = await performanceEstimate(db, t.organizationId, { modelId, time: { range: '7d', bucket: '12h' }, metric: MetricName.estimatedF1 }, now);
    const values = wide.points.flatMap((p) => (p.value === null ? [] : [p.value]));
    const lowers = wide.points.flatMap((p) => (p.lower === null ? [] : [p.lower]));
    // However the six hours fall into 12-hour buckets, the means keep the band 0.03 either side.
    wide.points.forEach((p, i) => expect(p.value! - lowers[i]!).toBeCloseTo(0.03, 12));
    expect(values.length).toBeLessThanOrEqual(2);
  });

  it('marks a bucket drifted when one of its windows is, with the thresholds of the reference', async () => {
    const { t, modelId, now, first } = await seedModel();
    const m = await multivariateDrift(db, t.organizationId, { modelId, time: { range: '7d' } }, now);
    expect(m.points.map((p) => p.drifted)).toEqual([false, false, false, false, true, false]);
    expect(m.points[4]).toMatchObject({ t: first + 4 * HOUR, value: 2.5, lower: 0.9, upper: 1.4, windows: 1, driftedWindows: 1 });
    expect(m.latest?.drifted).toBe(false);
    const wide = await multivariateDrift(db, t.organizationId, { modelId, time: { range: '30d', bucket: '1d' } }, now);
    // Day buckets read day windows: none stored here.
    expect(wide.points).toEqual([]);
  });

  it('shows nothing of another workspace’s model', async () => {
    const { modelId, versionId, now } = await seedModel();
    const other = await createTestTenant(db);
    await expect(performanceEstimate(db, other.organizationId, { modelId, time: { range: '7d' }, metric: MetricName.estimatedF1 }, now)).rejects.toBeInstanceOf(VigilError);
    await expect(multivariateDrift(db, other.organizationId, { modelId, versionId, time: { range: '7d' } }, now)).rejects.toBeInstanceOf(VigilError);
    // The reads themselves are scoped by the workspace, whatever ids they are given.
    const scope = { organizationId: other.organizationId, modelId, modelVersionId: versionId, granularity: 'hour' as const, from: now - 7 * 24 * HOUR, to: now + HOUR, bucketMs: HOUR };
    expect(await estimateBuckets(db.pool, { ...scope, estimated: MetricName.estimatedF1, realized: MetricName.f1 })).toEqual([]);
    expect(await reconstructionBuckets(db.pool, { ...scope, metric: MetricName.reconstructionError })).toEqual([]);
  });
});
