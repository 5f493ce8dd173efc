import { gzipSync } from 'node:zlib';
import { JobId, QueueName, type IngestResponse } from '@vigil/contracts';
import { labelsForPredictions } from '@vigil/db';
import { createTestTenant, type TestTenant } from '@vigil/db/testing';
import { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { useTestApi } from '../../../test/support/api.js';
import { makePrediction, post } from '../../../test/support/ingest.js';

const { api, db, redis } = useTestApi();

const predictions = (t: TestTenant, body: unknown, opts: Parameters<typeof post>[2] = {}) =>
  post<IngestResponse>(`${api.url}/v1/predictions`, body, { key: t.apiKey.secret, ...opts });
const labels = (t: TestTenant, body: unknown) => post<IngestResponse>(`${api.url}/v1/labels`, body, { key: t.apiKey.secret });

async function storedIds(projectId: string): Promise<string[]> {
  const r = await db.pool.query<{ client_id: string }>('SELECT client_id FROM vigil_prediction_events WHERE project_id = $1 ORDER BY client_id', [projectId]);
  return r.rows.map((x) => x.client_id);
}

async function count(sql: string, params: unknown[]): Promise<number> {
  const r = await db.pool.query<{ n: string }>(sql, params);
  return Number(r.rows[0]!.n);
}

describe('POST /v1/predictions', () => {
  it('stores a 5,000-event batch exactly once when it is sent three times concurrently', async () => {
    const t = await createTestTenant(db);
    const batch = { predictions: Array.from({ length: 5_000 }, (_, i) => makePrediction(i)) };
    const answers = await Promise.all([predictions(t, batch), predictions(t, batch), predictions(t, batch)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.reduce((s, a) => s + a.body.accepted, 0)).toBe(5_000);
    expect(answers.reduce((s, a) => s + a.body.duplicates, 0)).toBe(10_000);
    expect(answers.every((a) => a.body.rejected.length === 0)).toBe(true);
    expect(await count('SELECT count(*) AS n FROM vigil_prediction_events WHERE project_id = $1', [t.projectId])).toBe(5_000);
    expect(await count('SELECT count(DISTINCT client_id) AS n FROM vigil_prediction_events WHERE project_id = $1', [t.projectId])).toBe(5_000);
    expect(await count('SELECT sum(event_count) AS n FROM prediction_batch WHERE project_id = $1', [t.projectId])).toBe(5_000);
    expect(await count('SELECT count(*) AS n FROM prediction_key WHERE project_id = $1', [t.projectId])).toBe(5_000);
  });

  it('counts a retried id once and a repeated id inside one request as a duplicate', async () => {
    const t = await createTestTenant(db);
    const first = await predictions(t, { predictions: [makePrediction(1), makePrediction(2)] });
    expect(first.body).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    const retry = await predictions(t, { predictions: [makePrediction(2), makePrediction(3), makePrediction(3)] });
    expect(retry.body).toEqual({ accepted: 1, duplicates: 2, rejected: [] });
    expect(await storedIds(t.projectId)).toEqual(['p-1', 'p-2', 'p-3']);
  });

  it('answers 207 naming the 3 bad items of 100 by index, id and path, and stores the other 97', async () => {
    const t = await createTestTenant(db);
    const items: unknown[] = Array.from({ length: 100 }, (_, i) => makePrediction(i));
    items[7] = { ...makePrediction(7), features: { amount: [1, 2] } };
    items[42] = { ...makePrediction(42), prediction: undefined };
    items[99] = { ...makePrediction(99), timestamp: Date.now() - 200 * 86_400_000 };
    const res = await predictions(t, { predictions: items });
    expect(res.status).toBe(207);
    expect(res.body.accepted).toBe(97);
    expect(res.body.duplicates).toBe(0);
    expect(res.body.rejected.map((r) => r.index)).toEqual([7, 42, 99]);
    expect(res.body.rejected.map((r) => r.id)).toEqual(['p-7', 'p-42', 'p-99']);
    expect(res.body.rejected[0]!.errors.map((e) => e.path)).toContain('features.amount');
    expect(res.body.rejected[1]!.errors.map((e) => e.path)).toContain('prediction');
    expect(res.body.rejected[2]!.errors).toEqual([{ path: 'timestamp', message: 'is more than 90 days in the past' }]);
    const ids = await storedIds(t.projectId);
    expect(ids).toHaveLength(97);
    expect(ids).not.toContain('p-7');
    expect(ids).not.toContain('p-42');
    expect(ids).not.toContain('p-99');
  });

  it('accepts gzip bodies', async () => {
    const t = await createTestTenant(db);
    const res = await predictions(t, { predictions: Array.from({ length: 50 }, (_, i) => makePrediction(i)) }, { gzip: true });
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(50);
    expect(await storedIds(t.projectId)).toHaveLength(50);
  });

  it('answers 413 to a 20 MB body, plain or as a small gzip that inflates past the limit', async () => {
    const t = await createTestTenant(db);
    const big = JSON.stringify({ predictions: [{ ...makePrediction(1), features: { blob: 'x'.repeat(20 * 1024 * 1024) } }] });
    const plain = await predictions(t, big);
    expect(plain.status).toBe(413);
    expect((plain.body as unknown as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
    const bomb = gzipSync(Buffer.from(big));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const inflated = await post(`${api.url}/v1/predictions`, bomb, { key: t.apiKey.secret, headers: { 'content-encoding': 'gzip' } });
    expect(inflated.status).toBe(413);
    expect(await storedIds(t.projectId)).toHaveLength(0);
    // The server is still healthy afterwards.
    expect((await predictions(t, { predictions: [makePrediction(2)] })).status).toBe(200);
  });

  it('answers 400 to malformed JSON, broken gzip and malformed envelopes', async () => {
    const t = await createTestTenant(db);
    for (const body of ['{"predictions": [', '', 'null', '[]', '{"predictions": []}', '{"predictions": {}}', '{"other": 1}']) {
      const res = await predictions(t, body);
      expect(res.status, body).toBe(400);
    }
    const tooMany = await predictions(t, { predictions: Array.from({ length: 5_001 }, (_, i) => makePrediction(i)) });
    expect(tooMany.status).toBe(400);
    const notGzip = await post(`${api.url}/v1/predictions`, 'plain text', { key: t.apiKey.secret, headers: { 'content-encoding': 'gzip' } });
    expect(notGzip.status).toBe(400);
  });

  it('answers 415 to a wrong content type or content encoding', async () => {
    const t = await createTestTenant(db);
    const body = JSON.stringify({ predictions: [makePrediction(1)] });
    for (const contentType of ['text/plain', 'text/csv', 'application/x-www-form-urlencoded', 'application/xml']) {
      expect((await predictions(t, body, { contentType })).status, contentType).toBe(415);
    }
    expect((await predictions(t, body, { headers: { 'content-encoding': 'br' } })).status).toBe(415);
    expect(await storedIds(t.projectId)).toHaveLength(0);
  });

  it('rejects text Postgres cannot store (NUL, lone surrogates) per item instead of failing the batch', async () => {
    const t = await createTestTenant(db);
    const body = `{"predictions":[${JSON.stringify(makePrediction(1))},{"id":"p-2","model":"fraud","features":{"a":"x\\u0000y"},"prediction":1},{"id":"p-3\\ud800","model":"fraud","features":{},"prediction":1}]}`;
    const res = await predictions(t, body);
    expect(res.status).toBe(207);
    expect(res.body.accepted).toBe(1);
    expect(res.body.rejected.map((r) => [r.index, r.errors[0]!.path])).toEqual([
      [1, 'features.a'],
      [2, 'id'],
    ]);
  });

  it('registers a new model with inferred column kinds and roles, adds later columns and records type conflicts', async () => {
    const t = await createTestTenant(db);
    await predictions(t, {
      predictions: [
        { id: 'a', model: 'churn', features: { tenure: 3, plan: 'pro', active: true, note: null }, prediction: 'yes', scores: { yes: 0.7, no: 0.3 }, label: 'no' },
      ],
    });
    await predictions(t, {
      predictions: [
        { id: 'b', model: 'churn', version: 'v2', features: { tenure: 'long', plan: 'free', region: 'EU' }, prediction: 'no' },
        { id: 'c', model: 'churn', version: 'v2', features: { tenure: 'short', plan: 7 }, prediction: 'no' },
      ],
    });
    const cols = await db.pool.query<{ role: string; name: string; kind: string; type_mismatch_count: string }>(
      `SELECT c.role, c.name, c.kind, c.type_mismatch_count FROM model_columns c JOIN models m ON m.id = c.model_id
       WHERE m.project_id = $1 AND m.slug = 'churn' ORDER BY c.role, c.name`,
      [t.projectId],
    );
    expect(cols.rows.map((c) => [c.role, c.name, c.kind, Number(c.type_mismatch_count)])).toEqual([
      ['feature', 'active', 'boolean', 0],
      ['feature', 'plan', 'categorical', 1],
      ['feature', 'region', 'categorical', 0],
      ['feature', 'tenure', 'numerical', 2],
      ['label', 'label', 'categorical', 0],
      ['prediction', 'prediction', 'categorical', 0],
      ['score', 'no', 'numerical', 0],
      ['score', 'yes', 'numerical', 0],
    ]);
    const versions = await db.pool.query<{ name: string }>(
      `SELECT v.name FROM model_versions v JOIN models m ON m.id = v.model_id WHERE m.project_id = $1 ORDER BY v.name`,
      [t.projectId],
    );
    expect(versions.rows.map((v) => v.name)).toEqual(['default', 'v2']);
  });

  it('enqueues one deduplicated ingest-window job per model version and minute', async () => {
    const t = await createTestTenant(db);
    const minute = Math.floor(Date.now() / 60_000) * 60_000 - 5 * 60_000;
    const items = Array.from({ length: 20 }, (_, i) => makePrediction(i, { timestamp: minute + (i % 2) * 60_000 + i * 100 }));
    expect((await predictions(t, { predictions: items })).status).toBe(200);
    const version = await db.pool.query<{ id: string; model_id: string }>(
      `SELECT v.id, v.model_id FROM model_versions v JOIN models m ON m.id = v.model_id WHERE m.project_id = $1`,
      [t.projectId],
    );
    const versionId = version.rows[0]!.id;
    const queue = new Queue(QueueName.ingestWindow, { connection: redis });
    try {
      for (const m of [minute, minute + 60_000]) {
        const job = await queue.getJob(JobId.ingestWindow({ modelVersionId: versionId, minute: new Date(m).toISOString() }));
        expect(job?.data).toEqual({
          organizationId: t.organizationId,
          projectId: t.projectId,
          modelId: version.rows[0]!.model_id,
          modelVersionId: versionId,
          minute: new Date(m).toISOString(),
        });
      }
    } finally {
      await queue.close();
    }
  });

  it('accepts ISO-8601 timestamps and creates missing daily partitions on demand', async () => {
    const t = await createTestTenant(db);
    const old = new Date(Date.now() - 89 * 86_400_000);
    const day = old.toISOString().slice(0, 10).replace(/-/g, '');
    await db.pool.query(`DROP TABLE IF EXISTS prediction_batch_${day}`);
    const res = await predictions(t, { predictions: [makePrediction(1, { timestamp: old.toISOString() })] });
    expect(res.body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    const stored = await db.pool.query<{ event_time: Date }>('SELECT event_time FROM vigil_prediction_events WHERE project_id = $1', [t.projectId]);
    expect(stored.rows[0]!.event_time.toISOString()).toBe(old.toISOString());
  });
});

describe('POST /v1/labels', () => {
  it('stores labels that arrive before their prediction and joins them when the prediction arrives', async () => {
    const t = await createTestTenant(db);
    const early = await labels(t, { labels: [{ predictionId: 'p-1', label: 1 }, { predictionId: 'p-2', label: 0 }] });
    expect(early.body).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    expect(await count('SELECT count(*) AS n FROM prediction_label WHERE project_id = $1 AND model_version_id IS NULL', [t.projectId])).toBe(2);
    await predictions(t, { predictions: [makePrediction(1), makePrediction(2), makePrediction(3)] });
    const rows = await db.pool.query<{ client_id: string; label: unknown; label_time: Date | null }>(
      'SELECT client_id, label, label_time FROM vigil_prediction_events WHERE project_id = $1 ORDER BY client_id',
      [t.projectId],
    );
    expect(rows.rows.map((r) => [r.client_id, r.label, r.label_time !== null])).toEqual([
      ['p-1', 1, true],
      ['p-2', 0, true],
      ['p-3', null, false],
    ]);
    // The worker reading the predictions' window gets their labels, and records the match.
    const version = await db.pool.query<{ id: string }>('SELECT id FROM model_versions WHERE project_id = $1', [t.projectId]);
    const stored = await db.pool.query<{ client_id: string; event_time: Date }>('SELECT client_id, event_time FROM vigil_prediction_events WHERE project_id = $1', [t.projectId]);
    const times = stored.rows.map((r) => r.event_time.getTime());
    const joined = await labelsForPredictions(db.pool, t, version.rows[0]!.id, Math.min(...times), Math.max(...times) + 1, stored.rows.map((r) => r.client_id));
    expect([...joined].map(([id, l]) => [id, l.label]).sort()).toEqual([['p-1', 1], ['p-2', 0]]);
    expect(await count('SELECT count(*) AS n FROM prediction_label WHERE project_id = $1 AND model_version_id = $2', [t.projectId, version.rows[0]!.id])).toBe(2);
  });

  it('labels a stored prediction and enqueues recompute of its hour and day windows', async () => {
    const t = await createTestTenant(db);
    const time = Date.now() - 3 * 3_600_000;
    await predictions(t, { predictions: [makePrediction(1, { timestamp: time })] });
    const res = await labels(t, { labels: [{ predictionId: 'p-1', label: 'fraud' }] });
    expect(res.body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    const row = await db.pool.query<{ label: unknown; model_version_id: string; model_id: string }>(
      'SELECT label, model_version_id, model_id FROM vigil_prediction_events WHERE project_id = $1',
      [t.projectId],
    );
    expect(row.rows[0]!.label).toBe('fraud');
    const queue = new Queue(QueueName.windowRecompute, { connection: redis });
    try {
      const hour = new Date(Math.floor(time / 3_600_000) * 3_600_000).toISOString();
      const day = new Date(Math.floor(time / 86_400_000) * 86_400_000).toISOString();
      for (const [granularity, windowStart] of [['hour', hour], ['day', day]] as const) {
        const job = await queue.getJob(JobId.windowRecompute({ modelVersionId: row.rows[0]!.model_version_id, granularity, windowStart }));
        expect(job?.data).toMatchObject({ granularity, windowStart, reason: 'labels', projectId: t.projectId, modelId: row.rows[0]!.model_id });
      }
    } finally {
      await queue.close();
    }
    // A second label for the same prediction is a duplicate.
    expect((await labels(t, { labels: [{ predictionId: 'p-1', label: 'ok' }] })).body).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
  });

  it('stores an inline label given with the prediction', async () => {
    const t = await createTestTenant(db);
    await predictions(t, { predictions: [makePrediction(1, { label: 1 })] });
    const row = await db.pool.query<{ label: unknown; label_time: Date | null }>('SELECT label, label_time FROM vigil_prediction_events WHERE project_id = $1', [t.projectId]);
    expect(row.rows[0]!.label).toBe(1);
    expect(row.rows[0]!.label_time).not.toBeNull();
  });

  it('reports bad label items by index and path', async () => {
    const t = await createTestTenant(db);
    const res = await labels(t, { labels: [{ predictionId: 'p-1', label: 1 }, { predictionId: 'p-2', label: { x: 1 } }, { label: 1 }] });
    expect(res.status).toBe(207);
    expect(res.body.accepted).toBe(1);
    expect(res.body.rejected.map((r) => [r.index, r.errors.map((e) => e.path)])).toEqual([
      [1, ['label']],
      [2, ['predictionId']],
    ]);
  });
});

describe('tenant isolation', () => {
  it('keeps the same model slug and ids of two projects apart, and never labels another tenant’s predictions', async () => {
    const a = await createTestTenant(db);
    const b = await createTestTenant(db);
    const batch = { predictions: [makePrediction(1), makePrediction(2)] };
    expect((await predictions(a, batch)).body).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    expect((await predictions(b, batch)).body).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    const models = await db.pool.query<{ id: string; organization_id: string }>(
      `SELECT id, organization_id FROM models WHERE slug = 'fraud' AND project_id = ANY($1)`,
      [[a.projectId, b.projectId]],
    );
    expect(models.rows).toHaveLength(2);
    expect(new Set(models.rows.map((m) => m.organization_id))).toEqual(new Set([a.organizationId, b.organizationId]));
    // A's key labels p-1: only A's prediction changes.
    await labels(a, { labels: [{ predictionId: 'p-1', label: 1 }] });
    const labelled = await db.pool.query<{ project_id: string; organization_id: string }>(
      `SELECT project_id, organization_id FROM vigil_prediction_events WHERE client_id = 'p-1' AND label IS NOT NULL AND project_id = ANY($1)`,
      [[a.projectId, b.projectId]],
    );
    expect(labelled.rows).toEqual([{ project_id: a.projectId, organization_id: a.organizationId }]);
    // Every event row written with A's key belongs to A's organization, project and models.
    const rows = await db.pool.query<{ organization_id: string; model_id: string }>(
      'SELECT organization_id, model_id FROM vigil_prediction_events WHERE project_id = $1',
      [a.projectId],
    );
    const aModel = models.rows.find((m) => m.organization_id === a.organizationId)!.id;
    expect(rows.rows.every((r) => r.organization_id === a.organizationId && r.model_id === aModel)).toBe(true);
  });
});

describe('API keys', () => {
  it('answers 401 without a key, with a malformed key and with an unknown key', async () => {
    const body = { predictions: [makePrediction(1)] };
    expect((await post(`${api.url}/v1/predictions`, body)).status).toBe(401);
    expect((await post(`${api.url}/v1/predictions`, body, { key: 'nope' })).status).toBe(401);
    expect((await post(`${api.url}/v1/predictions`, body, { key: `vgl_abcdefgh_${'x'.repeat(32)}` })).status).toBe(401);
  });

  it('answers 403 to a read-only key, and stores nothing', async () => {
    const t = await createTestTenant(db, { scopes: ['read'] });
    const res = await predictions(t, { predictions: [makePrediction(1)] });
    expect(res.status).toBe(403);
    expect((res.body as unknown as { error: { code: string } }).error.code).toBe('FORBIDDEN');
    expect((await labels(t, { labels: [{ predictionId: 'x', label: 1 }] })).status).toBe(403);
    expect(await storedIds(t.projectId)).toHaveLength(0);
  });

  it('records when a key was last used', async () => {
    const t = await createTestTenant(db);
    await predictions(t, { predictions: [makePrediction(1)] });
    await expect.poll(async () => (await db.system.apiKey.findUniqueOrThrow({ where: { id: t.apiKey.id } })).lastUsedAt).not.toBeNull();
  });
});

describe('revocation', () => {
  const { api: short } = useTestApi({ API_KEY_CACHE_TTL_MS: '1000' });

  it('refuses a revoked key with 401 once the lookup cache (≤ TTL) has expired', async () => {
    const t = await createTestTenant(db);
    const send = (i: number) => post(`${short.url}/v1/predictions`, { predictions: [makePrediction(i)] }, { key: t.apiKey.secret });
    expect((await send(1)).status).toBe(200);
    await db.system.apiKey.update({ where: { id: t.apiKey.id }, data: { revokedAt: new Date() } });
    const revokedAt = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - revokedAt < 3_000) {
      status = (await send(2)).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(401);
    expect(Date.now() - revokedAt).toBeLessThanOrEqual(1_000 + 500);
  });
});
