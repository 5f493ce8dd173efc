import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');

describe('pnpm start with Postgres unreachable', () => {
  it('stops at once with a message naming the database and how to start it, not a stack trace', () => {
    const r = spawnSync(process.execPath, ['scripts/start.mjs'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/vigil', REDIS_URL: 'redis://127.0.0.1:6379' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Postgres is not reachable at 127\.0\.0\.1:1 \(database "vigil"\)/);
    expect(r.stderr).toMatch(/docker compose -f infra\/docker-compose\.yml up -d postgres/);
    expect(r.stderr).not.toMatch(/Redis/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
