import { createTestDb, createTestTenant } from '@vigil/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type RunningApi } from '../../../test/support/api.js';
import { makePrediction, post } from '../../../test/support/ingest.js';

const db = createTestDb();
afterAll(() => db.close());

describe('per-project rate limit', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startTestApi({ RATE_LIMIT_PER_SECOND: '1', RATE_LIMIT_BURST: '3' });
  });
  afterAll(() => api.close());

  it('answers 429 with Retry-After once a project used its burst, while another project is still served', async () => {
    const noisy = await createTestTenant(db);
    const quiet = await createTestTenant(db);
    const send = (key: string, i: number) => post(`${api.url}/v1/predictions`, { predictions: [makePrediction(i)] }, { key });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await send(noisy.apiKey.secret, i)).status);
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses.slice(3)).toContain(429);
    const limited = await send(noisy.apiKey.secret, 9);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((limited.body as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
    expect((await send(quiet.apiKey.secret, 1)).status).toBe(200);
  });
});

describe('storage unavailable', () => {
  let api: RunningApi;
  beforeAll(async () => {
    // Nothing listens on port 1: every Postgres connection is refused.
    api = await startTestApi({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/vigil_test', RETRY_AFTER_SECONDS: '7' });
  });
  afterAll(() => api.close());

  it('answers 503 with Retry-After, never 500, when Postgres cannot be reached', async () => {
    const t = await createTestTenant(db);
    const res = await post(`${api.url}/v1/predictions`, { predictions: [makePrediction(1)] }, { key: t.apiKey.secret });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('7');
    expect((res.body as { error: { code: string } }).error.code).toBe('STORAGE_UNAVAILABLE');
  });
});
