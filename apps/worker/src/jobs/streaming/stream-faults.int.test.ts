import { insertNewPredictions, type Db } from '@vigil/db';
import { createTestDb, createTestTenant } from '@vigil/db/testing';
import type pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createModel, insertEvents, rows } from '../../../test/support/fixtures.js';
import { MINUTE_PROFILES_KEPT_MS } from '../profiles-store.js';
import { streamModelVersion } from './stream-events.js';

const db = createTestDb();
afterAll(() => db.close());

const HOUR = 3_600_000;

/**
 * The same database, except that every statement writing metric points first awaits `hook`
 * (which may throw, or wait): a worker dying, or pausing, right before its metric write.
 */
function beforeMetricWrites(hook: () => Promise<void>): Db {
  const wrap = <T extends pg.Pool | pg.PoolClient>(target: T): T =>
    new Proxy(target, {
      get(obj, prop, receiver) {
        if (prop === 'query') {
          return async (text: unknown, ...rest: unknown[]) => {
            if (typeof text === 'string' && text.includes('INSERT INTO metric_point')) await hook();
            return (obj.query as (...a: unknown[]) => unknown).call(obj, text, ...rest);
          };
        }
        if (prop === 'connect' && 'connect' in obj) {
          return async () => wrap(await (obj as pg.Pool).connect());
        }
        const v: unknown = Reflect.get(obj, prop, receiver);
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(obj) : v;
      },
    });
  return { ...db, pool: wrap(db.pool) };
}

async function hourCount(organizationId: string, modelId: string, at: Date): Promise<number | undefined> {
  const p = await db.forTenant(organizationId).metricPoint.findFirst({
    where: { modelId, metric: 'prediction_count', columnName: '', segment: '', granularity: 'hour', windowStart: new Date(at.getTime() - (at.getTime() % HOUR)) },
  });
  return p?.value;
}

/** A tenant with a model, its streaming job, and an event time two hours back (clear of the rolling window). */
async function setup() {
  const t = await createTestTenant(db);
  const model = await createModel(db, t);
  const job = { organizationId: t.organizationId, modelId: model.modelId, modelVersionId: model.versionId };
  return { t, model, job, at: new Date(Date.now() - 2 * HOUR) };
}

describe('streaming merges under failures, races and large backlogs', () => {
  it('writes the metrics of merged events even when the run that merged them died before writing metrics', async () => {
    const { t, model, job, at } = await setup();
    await insertEvents(db.pool, t, model, rows(800, 0, 1), at);

    const dying = beforeMetricWrites(() => Promise.reject(new Error('worker died')));
    await expect(streamModelVersion(dying, job)).rejects.toThrow('worker died');
    // The retry (or any later run) finds the window's metrics missing and writes them, once.
    await streamModelVersion(db, job);
    expect(await hourCount(t.organizationId, model.modelId, at)).toBe(800);
    const profiles = await db.pool.query<{ n: string }>(
      `SELECT sum(event_count)::text AS n FROM column_profile WHERE model_version_id = $1 AND granularity = 'hour' AND column_name = 'prediction'`,
      [model.versionId],
    );
    expect(Number(profiles.rows[0]!.n)).toBe(800);
  });

  it('never lets a slower run overwrite metrics with those of fewer events', async () => {
    const { t, model, job, at } = await setup();
    await insertEvents(db.pool, t, model, rows(300, 0, 1), at);

    // Run A merges the first 300 events, then stalls right before writing its metrics.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let stalled!: () => void;
    const reachedWrite = new Promise<void>((r) => (stalled = r));
    let first = true;
    const slow = beforeMetricWrites(async () => {
      if (!first) return;
      first = false;
      stalled();
      await gate;
    });
    const a = streamModelVersion(slow, job);
    await reachedWrite;
    // Meanwhile 200 more events arrive and run B (another job, or another worker) takes them.
    await insertEvents(db.pool, t, model, rows(200, 0, 2), at);
    const b = streamModelVersion(db, job);
    await Promise.race([b, new Promise((r) => setTimeout(r, 2_000))]);
    release();
    await Promise.all([a, b]);
    expect(await hourCount(t.organizationId, model.modelId, at)).toBe(500);
  });

  it('merges every event of a backlog larger than one page of batches exactly once', async () => {
    const { t, model, job, at } = await setup();
    // 130 requests of 100 events: more batches than one cursor page holds.
    const n = 13_000;
    for (let b = 0; b < n / 100; b++) {
      await insertNewPredictions(
        db.pool,
        t,
        Array.from({ length: 100 }, (_, k) => {
          const i = b * 100 + k + 1;
          return { modelId: model.modelId, modelVersionId: model.versionId, id: `d${i}`, time: at.getTime(), features: { x: i, c: 'a' }, prediction: i };
        }),
      );
    }
    const r = await streamModelVersion(db, job);
    expect(r.events).toBe(n);
    expect(await hourCount(t.organizationId, model.modelId, at)).toBe(n);
    const sum = await db.forTenant(t.organizationId).metricPoint.findFirst({
      where: { modelId: model.modelId, metric: 'mean', columnName: 'x', granularity: 'hour' },
    });
    expect(sum?.value).toBeCloseTo((n + 1) / 2, 9);
  });

  it('merges a backlog spanning days a slice at a time, giving every window the counts of one pass', async () => {
    // Two models with the same events over 30 hours: one merged in one pass, one in slices of a
    // few minutes' profiles (as a month-long backfill is, to bound the worker's memory).
    const t = await createTestTenant(db);
    const whole = await createModel(db, t);
    const sliced = await createModel(db, t);
    const start = Math.floor(Date.now() / HOUR) * HOUR - 32 * HOUR;
    // Four requests an hour: 120 batches, more than one page of the streaming reader (100), so
    // the sliced run merges after its first page and again at the end.
    for (let h = 0; h < 30; h++) {
      for (let r = 0; r < 4; r++) {
        for (const [i, m] of [whole, sliced].entries()) await insertEvents(db.pool, t, m, rows(10, h / 30, h * 4 + r + 1), new Date(start + h * HOUR + (7 + r) * 60_000), `b${i}-${h}-${r}-`);
      }
    }
    const job = (m: typeof whole) => ({ organizationId: t.organizationId, modelId: m.modelId, modelVersionId: m.versionId });
    expect((await streamModelVersion(db, job(whole))).events).toBe(1_200);
    expect((await streamModelVersion(db, job(sliced), Date.now(), { maxPendingProfiles: 6 })).events).toBe(1_200);
    const counts = async (m: typeof whole) =>
      (await db.forTenant(t.organizationId).columnProfile.findMany({ where: { modelVersionId: m.versionId, granularity: { in: ['hour', 'day'] }, segment: '' }, orderBy: [{ windowStart: 'asc' }, { columnName: 'asc' }, { granularity: 'asc' }] })).map(
        (p) => `${p.granularity} ${p.windowStart.toISOString()} ${p.columnName} ${p.eventCount}`,
      );
    const expected = await counts(whole);
    expect(expected.filter((c) => c.startsWith('hour')).length).toBe(30 * 3);
    expect(await counts(sliced)).toEqual(expected);
    for (let h = 0; h < 30; h++) expect(await hourCount(t.organizationId, sliced.modelId, new Date(start + h * HOUR))).toBe(40);
  });

  it('merges events older than the minute profiles are kept straight into hour and day profiles', async () => {
    const t = await createTestTenant(db);
    const model = await createModel(db, t);
    const job = { organizationId: t.organizationId, modelId: model.modelId, modelVersionId: model.versionId };
    const old = new Date(Math.floor(Date.now() / HOUR) * HOUR - (MINUTE_PROFILES_KEPT_MS + 5 * HOUR) + 7 * 60_000);
    const recent = new Date(Date.now() - 2 * HOUR);
    await insertEvents(db.pool, t, model, rows(300, 0, 1), old, 'old-');
    await insertEvents(db.pool, t, model, rows(200, 0, 2), recent, 'new-');
    expect((await streamModelVersion(db, job)).events).toBe(500);
    const profiles = async (granularity: string, from: Date, to: Date) =>
      db.forTenant(t.organizationId).columnProfile.findMany({ where: { modelVersionId: model.versionId, granularity, segment: '', columnName: 'x', windowStart: { gte: from, lt: to } } });
    const oldHour = new Date(old.getTime() - (old.getTime() % HOUR));
    // The old hour: no minute profile (it would only be deleted by compaction), its hour and day profiles.
    expect(await profiles('minute', oldHour, new Date(oldHour.getTime() + HOUR))).toHaveLength(0);
    expect((await profiles('hour', oldHour, new Date(oldHour.getTime() + HOUR))).map((p) => Number(p.eventCount))).toEqual([300]);
    const oldDay = new Date(old.getTime() - (old.getTime() % 86_400_000));
    const dayCounts = (await profiles('day', oldDay, new Date(oldDay.getTime() + 1))).map((p) => Number(p.eventCount));
    expect(dayCounts[0]).toBeGreaterThanOrEqual(300);
    expect(await hourCount(t.organizationId, model.modelId, old)).toBe(300);
    // The recent hour keeps its minute profiles.
    const recentMinute = new Date(recent.getTime() - (recent.getTime() % 60_000));
    expect((await profiles('minute', recentMinute, new Date(recentMinute.getTime() + 60_000))).map((p) => Number(p.eventCount))).toEqual([200]);
    expect(await hourCount(t.organizationId, model.modelId, recent)).toBe(200);
  });
});
