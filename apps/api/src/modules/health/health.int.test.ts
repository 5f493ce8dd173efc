import { describe, expect, it } from 'vitest';
import { useTestApi } from '../../../test/support/api.js';

describe('health endpoints', () => {
  const { api } = useTestApi();

  it('answers /healthz while the process is up', async () => {
    const res = await fetch(`${api.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz 200 when Postgres and Redis both respond', async () => {
    const res = await fetch(`${api.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', checks: { postgres: 'ok', redis: 'ok' } });
  });

  it('returns JSON 404s for unknown routes, not HTML', async () => {
    const res = await fetch(`${api.url}/nope`);
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { code: string } };
    expect(body.error.code).toBe('NOT_FOUND');
  });
});

describe('readiness with a dependency down', () => {
  // Nothing listens on port 1: Redis is unreachable, Postgres is fine.
  const { api } = useTestApi({ REDIS_URL: 'redis://127.0.0.1:1' });

  it('answers 503 and names Redis as the dependency that is down, without its host, port or error', async () => {
    const res = await fetch(`${api.url}/readyz`);
    expect(res.status).toBe(503);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ status: 'not ready', checks: { postgres: 'ok', redis: 'failed' } });
    expect(text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|:1\b/);
  });
});
