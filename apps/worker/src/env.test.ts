import { DEVELOPMENT_SECRET_KEY } from '@vigil/db';
import { describe, expect, it } from 'vitest';
import { loadWorkerEnv, secretKeyOf } from './env.js';

describe('worker environment', () => {
  it('refuses to start without the secret key when NODE_ENV is unset: the development key is public', () => {
    expect(() => loadWorkerEnv({})).toThrow(/VIGIL_SECRET_KEY: is required \(at least 32 characters.*set NODE_ENV=development/);
    expect(() => loadWorkerEnv({ NODE_ENV: 'production' })).toThrow(/VIGIL_SECRET_KEY: is required in production/);
  });

  it('uses VIGIL_SECRET_KEY when set, and the development key only when development is chosen explicitly', () => {
    expect(secretKeyOf(loadWorkerEnv({ VIGIL_SECRET_KEY: 'w'.repeat(32) }))).toBe('w'.repeat(32));
    expect(secretKeyOf(loadWorkerEnv({ NODE_ENV: 'development' }))).toBe(DEVELOPMENT_SECRET_KEY);
  });

  it('accepts a hash-tagged queue prefix for Redis Cluster, and refuses anything else with braces', () => {
    expect(loadWorkerEnv({ NODE_ENV: 'development', QUEUE_PREFIX: '{vigil}' }).QUEUE_PREFIX).toBe('{vigil}');
    expect(() => loadWorkerEnv({ NODE_ENV: 'development', QUEUE_PREFIX: '{vigil}x' })).toThrow(/QUEUE_PREFIX: .*Redis Cluster/);
    expect(loadWorkerEnv({ NODE_ENV: 'development' }).HEALTH_PORT).toBe(0);
  });
});
