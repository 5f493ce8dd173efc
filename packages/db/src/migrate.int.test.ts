import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDatabase, migrate } from './migrate.js';
import { TEST_DATABASE_URL } from './testing/index.js';

// A throwaway database per run, so these tests never disturb the shared test schema.
const scratchName = `vigil_migrate_${process.pid}_${Date.now()}`;
const scratchUrl = (() => {
  const u = new URL(TEST_DATABASE_URL);
  u.pathname = `/${scratchName}`;
  return u.toString();
})();

async function adminQuery(sql: string) {
  const u = new URL(TEST_DATABASE_URL);
  u.pathname = '/postgres';
  const c = new pg.Client({ connectionString: u.toString() });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

afterAll(async () => {
  await adminQuery(`DROP DATABASE IF EXISTS "${scratchName}" WITH (FORCE)`);
});

describe('migration runner', () => {
  it('creates a missing database, applies files in order once, and records them', async () => {
    expect(await ensureDatabase(scratchUrl)).toBe(true);
    expect(await ensureDatabase(scratchUrl)).toBe(false);
    const dir = await mkdtemp(join(tmpdir(), 'vigil-mig-'));
    await writeFile(join(dir, '0001_a.sql'), 'CREATE TABLE a (x int);');
    await writeFile(join(dir, '0002_b.sql'), 'INSERT INTO a VALUES (1);');
    await writeFile(join(dir, 'notes.txt'), 'ignored');

    const [r1, r2] = await Promise.all([migrate(scratchUrl, dir), migrate(scratchUrl, dir)]);
    // Two concurrent runners: the lock makes one apply everything and the other skip it.
    expect([...r1.applied, ...r2.applied].sort()).toEqual(['0001_a.sql', '0002_b.sql']);
    const again = await migrate(scratchUrl, dir);
    expect(again).toEqual({ applied: [], skipped: ['0001_a.sql', '0002_b.sql'] });

    const c = new pg.Client({ connectionString: scratchUrl });
    await c.connect();
    const { rows } = await c.query('SELECT count(*)::int AS n FROM a');
    await c.end();
    expect(rows[0].n).toBe(1);
  });

  it('refuses a migration that changed after it was applied', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-mig-'));
    await writeFile(join(dir, '0001_a.sql'), 'CREATE TABLE a (x int);');
    await writeFile(join(dir, '0002_b.sql'), 'INSERT INTO a VALUES (2);');
    await expect(migrate(scratchUrl, dir)).rejects.toThrow(/0002_b.sql changed after it was applied/);
  });

  it('rolls back a failing migration entirely and names it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-mig-'));
    await writeFile(join(dir, '0001_a.sql'), 'CREATE TABLE a (x int);');
    await writeFile(join(dir, '0002_b.sql'), 'INSERT INTO a VALUES (1);');
    await writeFile(join(dir, '0003_bad.sql'), 'CREATE TABLE c (y int); SELECT nope FROM missing;');
    await expect(migrate(scratchUrl, dir)).rejects.toThrow(/0003_bad.sql failed/);
    const c = new pg.Client({ connectionString: scratchUrl });
    await c.connect();
    const { rows } = await c.query(`SELECT to_regclass('c') AS t`);
    await c.end();
    expect(rows[0].t).toBeNull();
  });
});
