#!/usr/bin/env node
// The cost of the estimates (CBPE, PCA reconstruction) on the streaming step, side by side in one
// process: two model versions of the pipeline benchmark's shape (10 features, prediction, score)
// with the same uploaded, labelled reference; one keeps the estimators fitted with its profile,
// the other has them removed (the streaming path then runs as before them). Each round writes
// 10 × 100 events (as the API writes them) to one version and runs one streaming step
// (`streamModelVersion`), alternating the versions; the median ms per round of each is reported
// with their ratio, with the 1-minute load average.
//
//   node bench/pipeline/estimates.mjs [--rounds 40] [--reference 5000]
import { randomBytes } from 'node:crypto';
import { loadavg, cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureDatabase, insertNewPredictions, migrate } from '@vigil/db';
import { createTestDb, createTestTenant } from '@vigil/db/testing';
import { buildReferenceProfile } from '@vigil/services';
import { ROOT, freshDatabase } from '../support.mjs';
import { EVENTS, features } from './batch.mjs';

const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '40' }, reference: { type: 'string', default: '5000' } } });
const DB_URL = 'postgresql://postgres@127.0.0.1:5432/vigil_bench_estimates';
const { streamModelVersion } = await import(join(ROOT, 'apps/worker/dist/jobs/streaming/stream-events.js'));
const { forgetModelContext } = await import(join(ROOT, 'apps/worker/dist/jobs/model-context.js'));

await freshDatabase(DB_URL);
await ensureDatabase(DB_URL);
await migrate(DB_URL);
const db = createTestDb(DB_URL);
const t = await createTestTenant(db);

async function model(slug, keepEstimator) {
  const m = await db.system.model.create({ data: { organizationId: t.organizationId, projectId: t.projectId, slug, name: slug, task: 'binary' } });
  const v = await db.system.modelVersion.create({ data: { organizationId: t.organizationId, projectId: t.projectId, modelId: m.id, name: 'v1' } });
  const ds = await db.system.referenceDataset.create({ data: { organizationId: t.organizationId, projectId: t.projectId, modelId: m.id, name: 'ref', source: 'upload', status: 'pending' } });
  const n = Number(args.reference);
  const rows = Array.from({ length: n }, (_, i) => {
    const score = Math.random();
    return { ...features(i), prediction: score >= 0.5 ? 1 : 0, score, label: Math.random() < score ? 1 : 0 };
  });
  await db.pool.query(
    `INSERT INTO reference_rows (organization_id, reference_dataset_id, row_index, data) SELECT $1, $2, i - 1, d FROM unnest($3::jsonb[]) WITH ORDINALITY AS r(d, i)`,
    [t.organizationId, ds.id, rows.map((r) => JSON.stringify(r))],
  );
  await db.system.referenceDataset.update({ where: { id: ds.id }, data: { rowCount: n } });
  await buildReferenceProfile(db, { organizationId: t.organizationId, projectId: t.projectId, modelId: m.id, referenceDatasetId: ds.id });
  const { rows: est } = await db.pool.query(`SELECT estimator IS NOT NULL AS fitted FROM reference_datasets WHERE id = $1`, [ds.id]);
  if (!est[0].fitted) throw new Error('the estimators were not fitted');
  if (!keepEstimator) await db.pool.query(`UPDATE reference_datasets SET estimator = NULL WHERE id = $1`, [ds.id]);
  forgetModelContext(m.id);
  return { modelId: m.id, versionId: v.id, slug };
}

const withEstimates = await model('with-estimates', true);
const without = await model('without-estimates', false);

async function round(m, r) {
  const now = Date.now();
  for (let b = 0; b < 10; b++) {
    const tag = randomBytes(4).toString('hex');
    await insertNewPredictions(
      db.pool,
      t,
      Array.from({ length: EVENTS }, (_, i) => {
        const score = Math.random();
        return { modelId: m.modelId, modelVersionId: m.versionId, id: `${tag}-${r}-${i}`, time: now - (i % 50) * 1000, features: features(i), prediction: score >= 0.5 ? 1 : 0, scores: score };
      }),
    );
  }
  // Events become mergeable once every older transaction of the cluster has finished (the
  // streaming frontier); a step that finds none yet is retried and not timed.
  let merged = 0;
  let ms = 0;
  for (let attempt = 0; merged < 10 * EVENTS; attempt++) {
    if (attempt > 600) throw new Error(`merged ${merged} events`);
    const started = performance.now();
    const res = await streamModelVersion(db, { organizationId: t.organizationId, modelId: m.modelId, modelVersionId: m.versionId });
    if (res.events > 0) ms += performance.now() - started;
    else await new Promise((resolve) => setTimeout(resolve, 50));
    merged += res.events;
  }
  return ms;
}

const times = { with: [], without: [] };
const load = [loadavg()[0]];
for (let r = 0; r < Number(args.rounds); r++) {
  // Alternate which goes first, so neither always follows the other's writes.
  const order = r % 2 === 0 ? ['with', 'without'] : ['without', 'with'];
  for (const which of order) times[which].push(await round(which === 'with' ? withEstimates : without, r));
}
load.push(loadavg()[0]);
const { rows: points } = await db.pool.query(`SELECT count(*)::int AS n FROM metric_point WHERE model_id = $1 AND metric LIKE 'estimated_%'`, [withEstimates.modelId]);
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const p90 = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length * 0.9)];
console.log(
  JSON.stringify(
    {
      date: new Date().toISOString(),
      machine: `${cpus().length} × ${cpus()[0]?.model}`,
      loadAverage1m: load,
      rounds: Number(args.rounds),
      eventsPerRound: 10 * EVENTS,
      referenceRows: Number(args.reference),
      msPerRound: { withEstimates: { median: median(times.with), p90: p90(times.with) }, without: { median: median(times.without), p90: p90(times.without) } },
      ratio: median(times.with) / median(times.without),
      estimatedPointsWritten: points[0].n,
    },
    null,
    2,
  ),
);
await db.close();
