import { PassThrough, Readable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import { latestReferenceDataset, upsertModel } from '@vigil/db';
import { createTestDb, createTestTenant } from '@vigil/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { uploadReference } from './upload.js';

const db = createTestDb();
afterAll(() => db.close());

async function modelOfNewTenant(name: string) {
  const t = await createTestTenant(db);
  const tenant = { organizationId: t.organizationId, projectId: t.projectId };
  return { t, tenant, modelId: await upsertModel(db.pool, tenant, name) };
}

describe('reference upload limits', () => {
  it('stops a gzip bomb at the byte limit, counted after decompression, with a 413 naming the limit', async () => {
    const { t, tenant, modelId } = await modelOfNewTenant('bomb');
    // 16 MB of CSV that compresses to about 16 KB; the limit is 64 KB of what the parser reads.
    const gzip = createGzip();
    const row = Buffer.from('1,2,3\n'.repeat((1024 * 1024) / 8));
    let finished = false;
    void (async () => {
      gzip.write('a,b,c\n');
      for (let i = 0; i < 16 && !finished; i++) if (!gzip.write(row)) await new Promise((r) => gzip.once('drain', r));
      gzip.end();
    })().catch(() => {});
    const body = gzip.pipe(createGunzip());
    const err = await uploadReference(db, tenant, modelId, 'bomb', 'csv', body, { upload: { maxBytes: 64 * 1024 } }).catch((e: unknown) => e);
    finished = true;
    expect(err).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', status: 413, details: { limit: 64 * 1024 } });
    expect((err as Error).message).toContain('65536 bytes');
    // Nothing is left behind.
    expect(await latestReferenceDataset(db.forTenant(t.organizationId), modelId)).toBeNull();
  });

  it('gives up on an upload that trickles past the time limit with a 408', async () => {
    const { t, tenant, modelId } = await modelOfNewTenant('trickle');
    const body = new PassThrough();
    body.write('a,b\n1,2\n');
    const timer = setInterval(() => body.write('3,4\n'), 20);
    try {
      const started = Date.now();
      const err = await uploadReference(db, tenant, modelId, 'slow', 'csv', body, { upload: { timeoutMs: 300 } }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'REQUEST_TIMEOUT', status: 408 });
      const took = Date.now() - started;
      expect(took).toBeGreaterThanOrEqual(290);
      expect(took).toBeLessThan(3_000);
      expect(await latestReferenceDataset(db.forTenant(t.organizationId), modelId)).toBeNull();
    } finally {
      clearInterval(timer);
    }
  });

  it('accepts an upload within both limits', async () => {
    const { tenant, modelId } = await modelOfNewTenant('fine');
    const csv = ['a,b', ...Array.from({ length: 100 }, (_, i) => `${i},${i * 2}`)].join('\n');
    const up = await uploadReference(db, tenant, modelId, 'ok', 'csv', Readable.from([csv]), { upload: { maxBytes: csv.length, timeoutMs: 10_000 } });
    expect(up.rows).toBe(100);
  });
});
