import { upsertMetricPoints } from '@vigil/db';
import { createTestDb, createTestTenant, seedBiWorkspace } from '@vigil/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { promtoolCheck } from '../../../test/support/promtool.js';
import { startModelExporter } from './model-exporter.js';

const db = createTestDb();
afterAll(() => db.close());

describe('the model metrics exporter (VIGIL_MODEL_METRICS_PORT)', () => {
  it('exports the newest drift, verdict, dataset drift, performance, coverage and volume per model version, accepted by promtool', async () => {
    const t = await createTestTenant(db);
    const seeded = await seedBiWorkspace(db, t, { models: 1, hours: 3 });
    const m = seeded.models[0]!;
    const hour = { organizationId: t.organizationId, projectId: t.projectId, modelId: m.modelId, modelVersionId: m.versionId, granularity: 'hour' as const, windowStart: new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000) };
    await upsertMetricPoints(db.pool, [
      { ...hour, metric: 'estimated_f1', value: 0.71, details: { samplingError: 0.02, lower: 0.65, upper: 0.77, thresholdLower: 0.75, thresholdUpper: 0.9 } },
      { ...hour, metric: 'reconstruction_error', value: 1.25, details: { lower: 1, upper: 1.2, drifted: true } },
    ]);
    const exporter = await startModelExporter({ pool: db.pool, port: 0, host: '127.0.0.1', maxSeries: 1_000_000 });
    try {
      const res = await fetch(`${exporter.url}/metrics`);
      expect(res.status).toBe(200);
      const text = await res.text();
      const labels = `workspace="test-${t.tag}",project="project-${t.tag}",model="${seeded.models[0]!.slug}",version="v1"`;
      expect(text).toContain(`vigil_model_drift_score{${labels},column="amount"} 0.05`);
      expect(text).toContain(`vigil_model_drift_detected{${labels},column="country"} 1`);
      expect(text).toContain(`vigil_model_dataset_drift_share{${labels}} 0.5`);
      expect(text).toContain(`vigil_model_label_coverage{${labels}} 0.4`);
      expect(text).toContain(`vigil_model_events{${labels}} 100`);
      expect(text).toContain(`vigil_model_performance{${labels},metric="accuracy"} 0.9`);
      expect(text).toContain(`vigil_model_estimated_performance{${labels},metric="estimated_f1"} 0.71`);
      expect(text).toContain(`vigil_model_reconstruction_error{${labels}} 1.25`);
      expect(text).toContain('vigil_model_series_capped 0');
      expect(promtoolCheck(text)).toBe('');
      expect((await fetch(`${exporter.url}/other`)).status).toBe(404);
    } finally {
      await exporter.close();
    }
  });

  it('caps the series per scrape and says so', async () => {
    const t = await createTestTenant(db);
    await seedBiWorkspace(db, t, { models: 1, hours: 1 });
    const exporter = await startModelExporter({ pool: db.pool, port: 0, host: '127.0.0.1', maxSeries: 3 });
    try {
      const text = await (await fetch(`${exporter.url}/metrics`)).text();
      const series = text.split('\n').filter((l) => l.startsWith('vigil_model_') && !l.startsWith('vigil_model_series_capped'));
      expect(series).toHaveLength(3);
      expect(text).toContain('vigil_model_series_capped 1');
    } finally {
      await exporter.close();
    }
  });
});
