import { createTestTenant } from '@vigil/db/testing';
import { describe, expect, it } from 'vitest';
import { useTestApi } from '../../../test/support/api.js';

const ctx = useTestApi();
const db = ctx.db;

async function call(method: string, path: string, key: string, body?: unknown) {
  const res = await fetch(`${ctx.api.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function withModel() {
  const t = await createTestTenant(db);
  const r = await call('POST', '/v1/predictions', t.apiKey.secret, { predictions: [{ id: '1', model: 'churn', features: { x: 1 }, prediction: 0, tags: { country: 'DE' } }] });
  expect(r.status).toBe(200);
  return t;
}

describe('model settings API', () => {
  it('sets segment tags, task and drift options with an admin key, and records it in the audit log', async () => {
    const t = await withModel();
    const r = await call('PATCH', '/v1/models/churn', t.apiKey.secret, { segmentTags: ['country'], task: 'binary', drift: { perKind: { numerical: { test: 'psi', threshold: 0.2 } } } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ segmentTags: ['country'], task: 'binary', drift: { perKind: { numerical: { test: 'psi', threshold: 0.2 } } } });
    const m = await db.forTenant(t.organizationId).model.findFirstOrThrow({ where: { slug: 'churn' } });
    expect(m.segmentTags).toEqual(['country']);
    expect(await db.forTenant(t.organizationId).auditLog.count({ where: { action: 'model.update', targetId: m.id } })).toBe(1);
    const cleared = await call('PATCH', '/v1/models/churn', t.apiKey.secret, { drift: null });
    expect(cleared.body.drift).toBeNull();
  });

  it('names the field that is wrong', async () => {
    const t = await withModel();
    const r = await call('PATCH', '/v1/models/churn', t.apiKey.secret, { drift: { test: 'nope' } });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toContain('drift.test');
  });

  it('refuses keys without the admin scope and keys of other projects', async () => {
    const t = await withModel();
    const readOnly = await createTestTenant(db, { scopes: ['ingest', 'read'] });
    expect((await call('PATCH', '/v1/models/churn', readOnly.apiKey.secret, { task: 'binary' })).status).toBe(403);
    const other = await createTestTenant(db);
    expect((await call('PATCH', '/v1/models/churn', other.apiKey.secret, { task: 'binary' })).status).toBe(404);
    expect((await call('POST', '/v1/models/churn/references', other.apiKey.secret, { source: 'trailing', days: 7 })).status).toBe(404);
    const m = await db.forTenant(t.organizationId).model.findFirstOrThrow({ where: { slug: 'churn' } });
    expect(m.task).toBeNull();
  });

  it('creates a reference from the model’s own recent events and selects it', async () => {
    const t = await withModel();
    const r = await call('POST', '/v1/models/churn/references', t.apiKey.secret, { source: 'trailing', days: 7 });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ source: 'trailing', status: 'pending' });
    const m = await db.forTenant(t.organizationId).model.findFirstOrThrow({ where: { slug: 'churn' } });
    expect(m.referenceConfig).toEqual({ datasetId: r.body.id });
    const bad = await call('POST', '/v1/models/churn/references', t.apiKey.secret, { source: 'range', from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' });
    expect(bad.status).toBe(400);
  });
});
