import { Readable } from 'node:stream';
import { getReferenceDataset, listModelColumns, referenceProfile, upsertModel } from '@vigil/db';
import { createTestDb, createTestTenant } from '@vigil/db/testing';
import { deserializeDatasetProfile } from '@vigil/metrics';
import { afterAll, describe, expect, it } from 'vitest';
import { buildReferenceProfile, referenceColumnOf } from './build-profile.js';
import { uploadReference } from './upload.js';

const db = createTestDb();
afterAll(() => db.close());

describe('reference columns', () => {
  it('reads prediction, label/target, score and score:<class> headers as the model’s outputs', () => {
    expect(referenceColumnOf('prediction')).toEqual({ role: 'prediction', name: 'prediction' });
    expect(referenceColumnOf('target')).toEqual({ role: 'label', name: 'label' });
    expect(referenceColumnOf('score')).toEqual({ role: 'score', name: 'score' });
    expect(referenceColumnOf('score:billing')).toEqual({ role: 'score', name: 'billing' });
    expect(referenceColumnOf('score:')).toEqual({ role: 'feature', name: 'score:' });
    expect(referenceColumnOf('amount')).toEqual({ role: 'feature', name: 'amount' });
  });

  it('registers an uploaded binary model’s score column as its score, not as a feature', async () => {
    const t = await createTestTenant(db);
    const tenant = { organizationId: t.organizationId, projectId: t.projectId };
    const modelId = await upsertModel(db.pool, tenant, 'fraud');
    const csv = ['amount,country,prediction,score,label', ...Array.from({ length: 50 }, (_, i) => `${i},DE,${i % 2},${(i % 10) / 10},${i % 2}`)].join('\n');
    const up = await uploadReference(db, tenant, modelId, 'training', 'csv', Readable.from([csv]));
    await buildReferenceProfile(db, { ...tenant, modelId, referenceDatasetId: up.datasetId });

    const columns = (await listModelColumns(db.forTenant(t.organizationId), modelId)).map((c) => `${c.role}:${c.name}`).sort();
    expect(columns).toEqual(['feature:amount', 'feature:country', 'label:label', 'prediction:prediction', 'score:score']);
    const ds = await getReferenceDataset(db.forTenant(t.organizationId), up.datasetId);
    expect(ds.status).toBe('ready');
    const profile = deserializeDatasetProfile(await referenceProfile(db.forTenant(t.organizationId), up.datasetId));
    expect(profile.columns.get('score:score')?.count).toBe(50);
    expect(profile.columns.get('score:score')?.missing).toBe(0);
  });

  it('registers a multiclass model’s per-class scores by class', async () => {
    const t = await createTestTenant(db);
    const tenant = { organizationId: t.organizationId, projectId: t.projectId };
    const modelId = await upsertModel(db.pool, tenant, 'router');
    const rows = Array.from({ length: 30 }, (_, i) => JSON.stringify({ words: i, prediction: i % 2 ? 'billing' : 'tech', 'score:billing': 0.6, 'score:tech': 0.4, target: 'tech' }));
    const up = await uploadReference(db, tenant, modelId, 'training', 'jsonl', Readable.from([rows.join('\n')]));
    await buildReferenceProfile(db, { ...tenant, modelId, referenceDatasetId: up.datasetId });

    const columns = (await listModelColumns(db.forTenant(t.organizationId), modelId)).map((c) => `${c.role}:${c.name}`).sort();
    expect(columns).toEqual(['feature:words', 'label:label', 'prediction:prediction', 'score:billing', 'score:tech']);
    const profile = deserializeDatasetProfile(await referenceProfile(db.forTenant(t.organizationId), up.datasetId));
    expect(profile.columns.get('score:billing')?.count).toBe(30);
    expect(profile.columns.get('label:label')?.count).toBe(30);
  });
});

describe('reference profiles', () => {
  it('profiles every row of an upload larger than one read page (rows are read in numeric order)', async () => {
    const t = await createTestTenant(db);
    const tenant = { organizationId: t.organizationId, projectId: t.projectId };
    const modelId = await upsertModel(db.pool, tenant, 'big');
    const n = 12_345;
    const csv = ['x', ...Array.from({ length: n }, (_, i) => String(i))].join('\n');
    const up = await uploadReference(db, tenant, modelId, 'big', 'csv', Readable.from([csv]));
    expect(await buildReferenceProfile(db, { ...tenant, modelId, referenceDatasetId: up.datasetId })).toEqual({ rows: n });
    const x = deserializeDatasetProfile(await referenceProfile(db.forTenant(t.organizationId), up.datasetId)).columns.get('feature:x');
    expect(x?.count).toBe(n);
    expect(x?.kind === 'numerical' && [x.moments.n, x.moments.min, x.moments.max, x.moments.mean]).toEqual([n, 0, n - 1, (n - 1) / 2]);
  });
});
