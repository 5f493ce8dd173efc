import { gzipSync } from 'node:zlib';
import { createTestTenant } from '@vigil/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestApi, useTestDb } from '../../../test/support/api.js';
import { makePrediction, post } from '../../../test/support/ingest.js';

const db = useTestDb();
const BAD_KEY = `vgl_abcdefgh_${'x'.repeat(32)}`;
const errorCode = (body: unknown) => (body as { error: { code: string } }).error.code;

describe('API keys are checked before the body is read', () => {
  const { api } = useTestApi();

  it('answers 401 to a bad key whose gzip body is not gzip at all (the body is never inflated)', async () => {
    const res = await post(`${api.url}/v1/predictions`, Buffer.from('this is not gzip'), { key: BAD_KEY, headers: { 'content-encoding': 'gzip' } });
    expect(res.status).toBe(401);
    expect(errorCode(res.body)).toBe('UNAUTHENTICATED');
  });

  it('answers 401, not 413, to a gzip bomb without a key, and 401 to invalid JSON with a bad key', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    const res = await post(`${api.url}/v1/predictions`, bomb, { headers: { 'content-encoding': 'gzip' } });
    expect(res.status).toBe(401);
    const invalid = await post(`${api.url}/v1/labels`, '{"labels": [', { key: BAD_KEY });
    expect(invalid.status).toBe(401);
  });

  it('still reads the body once the key is valid: invalid gzip then gets 400, a valid batch 200', async () => {
    const t = await createTestTenant(db);
    const bad = await post(`${api.url}/v1/predictions`, Buffer.from('this is not gzip'), { key: t.apiKey.secret, headers: { 'content-encoding': 'gzip' } });
    expect(bad.status).toBe(400);
    expect((bad.body as { error: { message: string } }).error.message).toMatch(/not valid gzip/);
    const ok = await post(`${api.url}/v1/predictions`, { predictions: [makePrediction(1)] }, { key: t.apiKey.secret, gzip: true });
    expect(ok.status).toBe(200);
  });
});

describe('failed API-key checks are limited per client address', () => {
  const { api, redis } = useTestApi({ VIGIL_TRUSTED_PROXIES: '127.0.0.1', AUTH_FAILURE_BURST: '3', AUTH_FAILURES_PER_MINUTE: '1' });
  const from = (address: string, key?: string) =>
    post(`${api.url}/v1/predictions`, { predictions: [makePrediction(1)] }, { key, headers: { 'x-forwarded-for': address } });
  const addresses = ['198.51.100.10', '198.51.100.11', '198.51.100.12'];
  afterAll(async () => {
    await redis.del(...addresses.map((a) => `vigil:authfail:{${a}}`));
  });

  it('answers 429 with Retry-After once an address used its budget, while another address still gets 401', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await from(addresses[0]!, BAD_KEY)).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    const limited = await from(addresses[0]!);
    expect(limited.status).toBe(429);
    expect(errorCode(limited.body)).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await from(addresses[1]!, BAD_KEY)).status).toBe(401);
    const t = await createTestTenant(db);
    expect((await from(addresses[1]!, t.apiKey.secret)).status).toBe(200);
  });

  it('a spoofed X-Forwarded-For in front of the trusted proxy does not escape the limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await from(`203.0.113.${i}, ${addresses[2]}`, BAD_KEY)).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });
});

describe('without trusted proxies the socket address is the client', () => {
  const { api, redis } = useTestApi({ AUTH_FAILURE_BURST: '2', AUTH_FAILURES_PER_MINUTE: '1' });
  afterAll(async () => {
    await redis.del('vigil:authfail:{127.0.0.1}', 'vigil:authfail:{::ffff:127.0.0.1}', 'vigil:authfail:{::1}');
  });

  it('a new X-Forwarded-For per request does not escape the limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await post(`${api.url}/v1/predictions`, {}, { key: BAD_KEY, headers: { 'x-forwarded-for': `192.0.2.${i + 1}` } })).status);
    }
    expect(statuses).toEqual([401, 401, 429, 429]);
  });
});
