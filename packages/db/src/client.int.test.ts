import { afterAll, describe, expect, it } from 'vitest';
import { createPool } from './client.js';
import { TEST_DATABASE_URL } from './testing/index.js';

const pool = createPool({ url: TEST_DATABASE_URL, max: 2, applicationName: 'vigil-pool-test' });
const admin = createPool({ url: TEST_DATABASE_URL, max: 1 });
afterAll(async () => {
  await pool.end();
  await admin.end();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('createPool', () => {
  it('survives a checked-out connection cut between queries (Postgres restarted): the next query rejects, the pool goes on', async () => {
    const client = await pool.connect();
    const pid = Number((await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid);
    // As a restart does: the server ends the backend while the client is out and idle.
    const terminated = await admin.query<{ ok: boolean }>('SELECT pg_terminate_backend($1) AS ok', [pid]);
    expect(terminated.rows[0]!.ok).toBe(true);
    await sleep(200); // the client sees the socket close: an 'error' event that must not be unhandled

    await expect(client.query('SELECT 1')).rejects.toThrow();
    client.release();
    const after = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    expect(Number(after.rows[0]!.pid)).not.toBe(pid);
  });

  it('replaces an idle connection the server ended', async () => {
    const pid = Number((await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid);
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await sleep(200);
    expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one).toBe(1);
  });
});
