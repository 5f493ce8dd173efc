import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { insertLabels } from '@vigil/db';
import { createTestDb, createTestTenant } from '@vigil/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createModel, insertEvents, insertReference, rows, type Rows } from '../../../test/support/fixtures.js';
import { buildReferenceProfile } from '@vigil/services';
import { recomputeWindow } from './recompute-window.js';
import { findWindowsToClose } from './close-windows.js';
import { streamModelVersion } from '../streaming/stream-events.js';

const db = createTestDb();
afterAll(() => db.close());
const HOUR = 3_600_000;

const cliBin = join(import.meta.dirname, '../../../node_modules/@vigil/cli/dist/bin.js');

function csv(data: Rows): string {
  return ['x,c', ...Array.from(data.x, (x, i) => `${Number.isNaN(x) ? '' : String(x)},${data.c[i] ?? ''}`)].join('\n');
}

interface CliColumn {
  name: string;
  drift: { test: string; score: number; drifted: boolean } | null;
  divergences: { psi: number; jensenShannon: number; wassersteinNormed: number | null };
  quality: { missingShare: number; distinct: number; mean: number | null; std: number | null; min: number | null; max: number | null; outOfRangeShare: number | null; newCategoryShare: number | null };
}

describe('batch window recompute', () => {
  it('gives the hour window exactly the numbers `vigil report` computes on the same rows', async () => {
    const t = await createTestTenant(db);
    const model = await createModel(db, t);
    const ref = rows(1_500, 0, 50);
    const cur = rows(1_200, 0.4, 60);
    const datasetId = await insertReference(db, t, model, ref);
    await buildReferenceProfile(db, { organizationId: t.organizationId, projectId: t.projectId, modelId: model.modelId, referenceDatasetId: datasetId });
    const hour = Math.floor((Date.now() - 3 * HOUR) / HOUR) * HOUR;
    await insertEvents(db.pool, t, model, cur, new Date(hour + 10 * 60_000));

    const r = await recomputeWindow(db, {
      organizationId: t.organizationId,
      modelId: model.modelId,
      modelVersionId: model.versionId,
      granularity: 'hour',
      windowStart: new Date(hour).toISOString(),
    });
    expect(r.rows).toBe(1_200);

    const dir = mkdtempSync(join(tmpdir(), 'vigil-batch-'));
    writeFileSync(join(dir, 'ref.csv'), csv(ref));
    writeFileSync(join(dir, 'cur.csv'), csv(cur));
    execFileSync(process.execPath, [cliBin, 'report', '--reference', join(dir, 'ref.csv'), '--current', join(dir, 'cur.csv'), '--categorical', 'c', '--json', join(dir, 'out.json')], {
      stdio: 'ignore',
    });
    const report = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as { columns: CliColumn[]; dataset: { driftedShare: number } };

    const points = await db.forTenant(t.organizationId).metricPoint.findMany({ where: { modelId: model.modelId, granularity: 'hour', windowStart: new Date(hour) } });
    const value = (metric: string, column = '') => points.find((p) => p.metric === metric && p.columnName === column)?.value;
    for (const col of report.columns) {
      expect(value('drift_score', col.name), `${col.name} drift`).toBe(col.drift!.score);
      expect(value('drift_detected', col.name)).toBe(col.drift!.drifted ? 1 : 0);
      expect(value('psi', col.name)).toBe(col.divergences.psi);
      expect(value('jensen_shannon', col.name)).toBe(col.divergences.jensenShannon);
      expect(value('missing_share', col.name)).toBe(col.quality.missingShare);
      expect(value('distinct_count', col.name)).toBe(col.quality.distinct);
      if (col.name === 'x') {
        expect(value('wasserstein_normed', 'x')).toBe(col.divergences.wassersteinNormed);
        expect(value('mean', 'x')).toBe(col.quality.mean);
        expect(value('std', 'x')).toBe(col.quality.std);
        expect(value('out_of_range_share', 'x')).toBe(col.quality.outOfRangeShare);
      } else {
        expect(value('new_category_share', 'c')).toBe(col.quality.newCategoryShare);
      }
    }
    expect(value('drifted_columns_share')).toBe(report.dataset.driftedShare);
    expect(value('prediction_count')).toBe(1_200);
    expect(points.find((p) => p.metric === 'drift_score' && p.columnName === 'x')?.details).toMatchObject({ basis: 'exact' });
  });

  it('closes windows once their grace period has passed, and again after late events change them', async () => {
    const t = await createTestTenant(db);
    const model = await createModel(db, t);
    const job = { organizationId: t.organizationId, modelId: model.modelId, modelVersionId: model.versionId };
    const hour = Math.floor((Date.now() - 5 * HOUR) / HOUR) * HOUR;
    await insertEvents(db.pool, t, model, rows(100, 0, 1), new Date(hour + 60_000));
    await streamModelVersion(db, job);
    const mine = async () => (await findWindowsToClose(db, 60_000, 100_000)).filter((w) => w.modelVersionId === model.versionId);
    const due = await mine();
    expect(due.map((w) => [w.granularity, w.reason])).toContainEqual(['hour', 'close']);
    for (const w of due) await recomputeWindow(db, w);
    expect((await mine()).filter((w) => w.granularity === 'hour')).toEqual([]);

    await insertEvents(db.pool, t, model, rows(10, 0, 2), new Date(hour + 120_000));
    await streamModelVersion(db, job);
    const reopened = (await mine()).filter((w) => w.granularity === 'hour');
    expect(reopened.map((w) => w.reason)).toEqual(['late-data']);
    await recomputeWindow(db, reopened[0]!);
    const count = await db.forTenant(t.organizationId).metricPoint.findFirstOrThrow({
      where: { modelId: model.modelId, metric: 'prediction_count', granularity: 'hour', windowStart: new Date(hour) },
    });
    expect(count.value).toBe(110);
  });

  it('finds a closed window due again after a labels batch, without any queued job, and only until it is recomputed', async () => {
    const t = await createTestTenant(db);
    const model = await createModel(db, t);
    const job = { organizationId: t.organizationId, modelId: model.modelId, modelVersionId: model.versionId };
    const hour = Math.floor((Date.now() - 50 * HOUR) / HOUR) * HOUR;
    await insertEvents(db.pool, t, model, rows(20, 0, 4), new Date(hour + 60_000), 'late-');
    await streamModelVersion(db, job);
    const mine = async () => (await findWindowsToClose(db, 60_000, 100_000)).filter((w) => w.modelVersionId === model.versionId);
    for (const w of await mine()) await recomputeWindow(db, w);
    expect(await mine()).toEqual([]);

    // Labels two days later: the API would enqueue the recompute; here no job is ever queued.
    const labelled = await insertLabels(db.pool, t, [1, 2, 3].map((i) => ({ id: `late-${i}`, time: Date.now(), label: 1 })));
    expect(labelled.accepted).toBe(3);
    const due = await mine();
    expect(due.map((w) => [w.granularity, w.reason]).sort()).toEqual([
      ['day', 'labels'],
      ['hour', 'labels'],
    ]);
    // Another batch for the same window gives it a new version, so its job id is new too.
    await insertLabels(db.pool, t, [{ id: 'late-4', time: Date.now(), label: 0 }]);
    const again = await mine();
    expect(again.find((w) => w.granularity === 'hour')!.version).not.toBe(due.find((w) => w.granularity === 'hour')!.version);

    for (const w of again) await recomputeWindow(db, w);
    expect(await mine()).toEqual([]);
    const labelCount = await db.forTenant(t.organizationId).metricPoint.findFirstOrThrow({
      where: { modelId: model.modelId, metric: 'label_count', granularity: 'hour', windowStart: new Date(hour) },
    });
    expect(labelCount.value).toBe(4);
  });

  it('marks a window labelled while it is being recomputed as due again', async () => {
    const t = await createTestTenant(db);
    const model = await createModel(db, t);
    const job = { organizationId: t.organizationId, modelId: model.modelId, modelVersionId: model.versionId };
    const hour = Math.floor((Date.now() - 5 * HOUR) / HOUR) * HOUR;
    await insertEvents(db.pool, t, model, rows(10, 0, 5), new Date(hour + 60_000), 'mid-');
    await streamModelVersion(db, job);
    const mine = async () => (await findWindowsToClose(db, 60_000, 100_000)).filter((w) => w.modelVersionId === model.versionId && w.granularity === 'hour');
    const [w] = await mine();
    expect(w?.reason).toBe('close');

    // A label batch whose transaction is still open while the window is recomputed: the
    // recompute cannot see the label, and its write of window_state waits for the batch.
    const labels = await db.pool.connect();
    try {
      await labels.query('BEGIN');
      await insertLabels(labels, t, [{ id: 'mid-1', time: Date.now(), label: 1 }]);
      const recomputing = recomputeWindow(db, w!);
      const blocked = async () =>
        (
          await db.pool.query(
            `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO window_state%' AND datname = current_database()`,
          )
        ).rowCount! > 0;
      for (let i = 0; i < 200 && !(await blocked()); i++) await new Promise((r) => setTimeout(r, 25));
      expect(await blocked()).toBe(true);
      await labels.query('COMMIT');
      await recomputing;
    } finally {
      labels.release();
    }
    const labelCount = async () =>
      (await db.forTenant(t.organizationId).metricPoint.findFirst({ where: { modelId: model.modelId, metric: 'label_count', granularity: 'hour', windowStart: new Date(hour) } }))?.value ?? 0;
    expect(await labelCount()).toBe(0); // the recompute did not see the label…
    const [again] = await mine(); // …so the window is due again, for its labels
    expect(again?.reason).toBe('labels');
    await recomputeWindow(db, again!);
    expect(await labelCount()).toBe(1);
    expect(await mine()).toEqual([]);
  });

  it('joins a label stored while its prediction was being written, in streaming and in the exact window', async () => {
    const t = await createTestTenant(db);
    const model = await createModel(db, t);
    const job = { organizationId: t.organizationId, modelId: model.modelId, modelVersionId: model.versionId };
    const at = new Date(Math.floor((Date.now() - 3 * HOUR) / HOUR) * HOUR + 60_000);
    // The prediction's transaction is open when the label arrives: the label cannot see it yet.
    const writer = await db.pool.connect();
    try {
      await writer.query('BEGIN');
      await insertEvents(writer, t, model, rows(5, 0, 3), at, 'race-');
      const early = await insertLabels(db.pool, t, [{ id: 'race-2', time: at.getTime() + 5_000, label: 1 }]);
      expect(early).toEqual({ accepted: 1, windows: [] });
      await writer.query('COMMIT');
    } finally {
      writer.release();
    }
    await streamModelVersion(db, job);
    const labelCount = async (granularity: 'hour') =>
      (await db.forTenant(t.organizationId).metricPoint.findFirst({ where: { modelId: model.modelId, metric: 'label_count', granularity, windowStart: new Date(at.getTime() - (at.getTime() % HOUR)) } }))?.value;
    const matched = await db.pool.query<{ model_version_id: string | null }>('SELECT model_version_id FROM prediction_label WHERE project_id = $1', [t.projectId]);
    expect(matched.rows).toEqual([{ model_version_id: model.versionId }]);
    await recomputeWindow(db, { ...job, granularity: 'hour', windowStart: new Date(at.getTime() - (at.getTime() % HOUR)).toISOString() });
    expect(await labelCount('hour')).toBe(1);
    const delay = await db.forTenant(t.organizationId).metricPoint.findFirst({ where: { modelId: model.modelId, metric: 'label_delay_seconds', granularity: 'hour' } });
    expect(delay?.value).toBe(5);
  });
});

