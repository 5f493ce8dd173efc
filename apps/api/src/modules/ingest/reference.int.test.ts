import { Readable } from 'node:stream';
import { createGzip, gzipSync } from 'node:zlib';
import { JobId, QueueName, type ReferenceUploadResponse } from '@vigil/contracts';
import { createTestTenant } from '@vigil/db/testing';
import { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { useTestApi } from '../../../test/support/api.js';
import { post } from '../../../test/support/ingest.js';

const { api, db, redis } = useTestApi();

async function rowsOf(datasetId: string) {
  const r = await db.pool.query<{ row_index: string; data: unknown }>(
    'SELECT row_index, data FROM reference_rows WHERE reference_dataset_id = $1 ORDER BY row_index',
    [datasetId],
  );
  return r.rows.map((x) => x.data);
}

describe('POST /v1/models/{model}/reference', () => {
  it('stores a CSV upload with typed cells and enqueues its profile job', async () => {
    const t = await createTestTenant(db);
    const csv = 'amount,country,is_new,note\n12.5,DE,true,\n-3,"F,R",false,hello\n';
    const res = await post<ReferenceUploadResponse>(`${api.url}/v1/models/fraud/reference?name=baseline`, csv, {
      key: t.apiKey.secret,
      contentType: 'text/csv; charset=utf-8',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ model: 'fraud', name: 'baseline', rows: 2, status: 'pending' });
    expect(await rowsOf(res.body.id)).toEqual([
      { amount: 12.5, country: 'DE', is_new: true, note: null },
      { amount: -3, country: 'F,R', is_new: false, note: 'hello' },
    ]);
    const ds = await db.pool.query('SELECT organization_id, project_id, status, row_count, source FROM reference_datasets WHERE id = $1', [res.body.id]);
    expect(ds.rows[0]).toEqual({ organization_id: t.organizationId, project_id: t.projectId, status: 'pending', row_count: '2', source: 'upload' });
    const queue = new Queue(QueueName.referenceProfile, { connection: redis });
    try {
      const job = await queue.getJob(JobId.referenceProfile({ referenceDatasetId: res.body.id }));
      expect(job?.data).toMatchObject({ organizationId: t.organizationId, projectId: t.projectId, referenceDatasetId: res.body.id });
    } finally {
      await queue.close();
    }
  });

  it('streams a 200,000-row gzip JSONL upload into the table', async () => {
    const t = await createTestTenant(db);
    const total = 200_000;
    async function* lines() {
      for (let i = 0; i < total; i += 1_000) {
        let chunk = '';
        for (let j = i; j < i + 1_000; j++) chunk += `${JSON.stringify({ x: j, c: j % 2 ? 'a' : 'b', ok: j % 3 === 0 })}\n`;
        yield chunk;
      }
    }
    const body = Readable.from(lines()).pipe(createGzip());
    const res = await fetch(`${api.url}/v1/models/fraud/reference`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.apiKey.secret}`, 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' },
      body: Readable.toWeb(body) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(201);
    const out = (await res.json()) as ReferenceUploadResponse;
    expect(out.rows).toBe(total);
    const r = await db.pool.query<{ n: string; max: string }>(
      'SELECT count(*) AS n, max(row_index) AS max FROM reference_rows WHERE reference_dataset_id = $1',
      [out.id],
    );
    expect(r.rows[0]).toEqual({ n: String(total), max: String(total - 1) });
  });

  it('answers 400 naming the line of a bad JSONL row, and keeps nothing of the upload', async () => {
    const t = await createTestTenant(db);
    const body = gzipSync('{"a":1}\n{"a":{"nested":true}}\n');
    const res = await post(`${api.url}/v1/models/fraud/reference`, body, {
      key: t.apiKey.secret,
      contentType: 'application/x-ndjson',
      headers: { 'content-encoding': 'gzip' },
    });
    expect(res.status).toBe(400);
    expect((res.body as { error: { message: string } }).error.message).toMatch(/line 2/);
    const notJson = await post(`${api.url}/v1/models/fraud/reference`, '{"a":1}\n{oops\n', { key: t.apiKey.secret, contentType: 'application/x-ndjson' });
    expect(notJson.status).toBe(400);
    const ragged = await post(`${api.url}/v1/models/fraud/reference`, 'a,b\n1,2\n3\n', { key: t.apiKey.secret, contentType: 'text/csv' });
    expect(ragged.status).toBe(400);
    const left = await db.pool.query('SELECT id FROM reference_datasets WHERE project_id = $1', [t.projectId]);
    expect(left.rows).toEqual([]);
  });

  it('answers 415 to JSON and 400 to an invalid model slug', async () => {
    const t = await createTestTenant(db);
    expect((await post(`${api.url}/v1/models/fraud/reference`, { a: 1 }, { key: t.apiKey.secret })).status).toBe(415);
    expect((await post(`${api.url}/v1/models/${encodeURIComponent('bad slug')}/reference`, 'a\n1\n', { key: t.apiKey.secret, contentType: 'text/csv' })).status).toBe(400);
  });

  it('needs the ingest scope', async () => {
    const t = await createTestTenant(db, { scopes: ['read'] });
    expect((await post(`${api.url}/v1/models/fraud/reference`, 'a\n1\n', { key: t.apiKey.secret, contentType: 'text/csv' })).status).toBe(403);
  });
});
