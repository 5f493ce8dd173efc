import { createTestTenant } from '@vigil/db/testing';
import { describe, expect, it } from 'vitest';
import { useTestApi, useTestDb } from '../../../test/support/api.js';
import { makePrediction, post } from '../../../test/support/ingest.js';

const db = useTestDb();

describe('per-project rate limit', () => {
  const { api } = useTestApi({ RATE_LIMIT_PER_SECOND: '1', RATE_LIMIT_BURST: '3' });

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
  // Nothing listens on port 1: every Postgres connection is refused.
  const { api } = useTestApi({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/vigil_test', RETRY_AFTER_SECONDS: '7' });

  it('answers 503 with Retry-After, never 500, when Postgres cannot be reached', async () => {
    const t = await createTestTenant(db);
    const res = await post(`${api.url}/v1/predictions`, { predictions: [makePrediction(1)] }, { key: t.apiKey.secret });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('7');
    expect((res.body as { error: { code: string } }).error.code).toBe('STORAGE_UNAVAILABLE');
  });
});

describe('ingest backlog', () => {
  const { api } = useTestApi({ INGEST_MAX_QUEUED_EVENTS: '1' });

  const queued = async () => {
    const text = await (await fetch(`${api.url}/metrics`)).text();
    return Number(/^vigil_ingest_queued_events (\S+)$/m.exec(text)?.[1]);
  };
  async function until(check: () => Promise<boolean>) {
    for (let i = 0; i < 100 && !(await check()); i++) await new Promise((r) => setTimeout(r, 50));
  }

  it('answers 503 OVERLOADED with Retry-After while the writer is full, stores nothing of it, and takes the retry', async () => {
    const t = await createTestTenant(db);
    const send = (id: string) => post(`${api.url}/v1/predictions`, { predictions: [makePrediction(1, { id })] }, { key: t.apiKey.secret });
    expect((await send('warm-up')).status).toBe(200);
    const version = await db.pool.query<{ id: string }>(
      'SELECT v.id FROM model_versions v JOIN models m ON m.id = v.model_id WHERE m.project_id = $1',
      [t.projectId],
    );
    // An uncommitted key row with the id of request A: A's insert waits for this transaction,
    // so the writer stays busy — for this tenant only.
    const blocker = await db.pool.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query(`INSERT INTO prediction_key (project_id, client_id, model_version_id, event_time) VALUES ($1, 'a', $2, now())`, [t.projectId, version.rows[0]!.id]);
      const a = send('a');
      await until(async () => (await db.pool.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%prediction_key%'`)).rowCount! > 0);
      const b = send('b');
      await until(async () => (await queued()) === 1);
      expect(await queued()).toBe(1);
      const c = await send('c');
      expect(c.status).toBe(503);
      expect(c.headers.get('retry-after')).toBe('1');
      expect((c.body as { error: { code: string } }).error.code).toBe('OVERLOADED');
      await blocker.query('ROLLBACK');
      expect((await a).status).toBe(200);
      expect((await b).status).toBe(200);
    } finally {
      blocker.release();
    }
    const retried = await send('c');
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ accepted: 1, duplicates: 0 });
    const stored = await db.pool.query<{ n: number }>('SELECT sum(event_count)::int AS n FROM prediction_batch WHERE project_id = $1', [t.projectId]);
    expect(stored.rows[0]!.n).toBe(4);
  });
});
