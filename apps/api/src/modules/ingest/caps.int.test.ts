import { createTestTenant } from '@vigil/db/testing';
import { describe, expect, it } from 'vitest';
import { useTestApi } from '../../../test/support/api.js';

const ctx = useTestApi({ MAX_MODELS_PER_PROJECT: '2', MAX_VERSIONS_PER_MODEL: '1', MAX_COLUMNS_PER_MODEL: '3', MAX_REFERENCES_PER_MODEL: '1' });

async function send(method: string, path: string, key: string, body: string, type = 'application/json') {
  const res = await fetch(`${ctx.api.url}${path}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': type }, body });
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string; details?: unknown } } };
}
const predict = (key: string, predictions: unknown[]) => send('POST', '/v1/predictions', key, JSON.stringify({ predictions }));
const event = (id: string, over: Record<string, unknown> = {}) => ({ id, model: 'm1', features: { a: 1 }, prediction: 0, ...over });

describe('resource caps over REST', () => {
  it('answers 409 LIMIT_EXCEEDED naming the cap and its value for models, versions and columns, and stores nothing of that request', async () => {
    const t = await createTestTenant(ctx.db);
    expect((await predict(t.apiKey.secret, [event('1'), event('2', { model: 'm2' })])).status).toBe(200);

    const models = await predict(t.apiKey.secret, [event('3', { model: 'm3' })]);
    expect(models.status).toBe(409);
    expect(models.body.error).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { limit: 'MAX_MODELS_PER_PROJECT', value: 2 } });
    expect(models.body.error!.message).toContain('a project holds at most 2 models (MAX_MODELS_PER_PROJECT = 2)');

    const versions = await predict(t.apiKey.secret, [event('4', { version: 'v2' })]);
    expect(versions.status).toBe(409);
    expect(versions.body.error!.message).toContain('a model holds at most 1 versions (MAX_VERSIONS_PER_MODEL = 1)');

    // m1 has a and prediction; two new features would make four columns.
    const columns = await predict(t.apiKey.secret, [event('5', { features: { a: 1, b: 2, c: 3 } })]);
    expect(columns.status).toBe(409);
    expect(columns.body.error!.message).toContain('a model holds at most 3 columns (MAX_COLUMNS_PER_MODEL = 3)');

    const stored = await ctx.db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM prediction_key WHERE project_id = $1`, [t.projectId]);
    expect(Number(stored.rows[0]!.n)).toBe(2);
  });

  it('answers 409 naming MAX_REFERENCES_PER_MODEL for uploads and references from events', async () => {
    const t = await createTestTenant(ctx.db);
    expect((await send('POST', '/v1/models/m1/reference', t.apiKey.secret, 'a\n1\n2\n', 'text/csv')).status).toBe(201);
    const upload = await send('POST', '/v1/models/m1/reference', t.apiKey.secret, 'a\n1\n2\n', 'text/csv');
    expect(upload.status).toBe(409);
    expect(upload.body.error!.message).toBe('a model holds at most 1 reference datasets (MAX_REFERENCES_PER_MODEL = 1)');
    const fromEvents = await send('POST', '/v1/models/m1/references', t.apiKey.secret, JSON.stringify({ source: 'trailing', days: 7 }));
    expect(fromEvents.status).toBe(409);
    expect(fromEvents.body.error).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { limit: 'MAX_REFERENCES_PER_MODEL', value: 1 } });
  });
});
