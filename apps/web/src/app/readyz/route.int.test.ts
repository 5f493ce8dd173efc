import { describe, expect, it } from 'vitest';
import { GET as healthz } from '../healthz/route';
import { GET as readyz } from './route';

describe('web probes', () => {
  it('answers /healthz, and /readyz ready while Postgres answers, naming no host', async () => {
    expect(await healthz().json()).toEqual({ status: 'ok' });
    const ready = await readyz();
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { postgres: 'ok' } });
  });
});
