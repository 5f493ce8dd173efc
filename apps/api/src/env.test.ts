import { describe, expect, it } from 'vitest';
import { loadApiEnv } from './env.js';

describe('api environment', () => {
  it('has defaults for a local install', () => {
    const env = loadApiEnv({ NODE_ENV: 'development' });
    expect(env.PORT).toBe(4000);
    expect(env.DATABASE_URL).toBe('postgresql://postgres@127.0.0.1:5432/vigil');
    expect(env.REDIS_URL).toBe('redis://127.0.0.1:6379');
  });

  it('names the variable that is wrong', () => {
    expect(() => loadApiEnv({ NODE_ENV: 'development', PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadApiEnv({ NODE_ENV: 'development', DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL/);
  });

  it('requires all headless-init variables together', () => {
    expect(() => loadApiEnv({ NODE_ENV: 'development', VIGIL_INIT_ORG: 'Acme' })).toThrow(/VIGIL_INIT_API_KEY: is required when VIGIL_INIT_ORG is set/);
  });

  it('reads the initial key scopes as a comma list, default ingest and read, naming the variable when wrong', () => {
    expect(loadApiEnv({ NODE_ENV: 'development' }).VIGIL_INIT_API_KEY_SCOPES).toEqual(['ingest', 'read']);
    expect(loadApiEnv({ NODE_ENV: 'development', VIGIL_INIT_API_KEY_SCOPES: 'ingest, read,admin' }).VIGIL_INIT_API_KEY_SCOPES).toEqual(['ingest', 'read', 'admin']);
    expect(() => loadApiEnv({ NODE_ENV: 'development', VIGIL_INIT_API_KEY_SCOPES: 'ingest,root' })).toThrow(/VIGIL_INIT_API_KEY_SCOPES/);
    expect(() => loadApiEnv({ NODE_ENV: 'development', VIGIL_INIT_API_KEY_SCOPES: ' , ' })).toThrow(/VIGIL_INIT_API_KEY_SCOPES/);
  });

  it('refuses to run in production without the secret key, and takes one of 32 characters or more', () => {
    expect(() => loadApiEnv({ NODE_ENV: 'production' })).toThrow(/VIGIL_SECRET_KEY: is required in production/);
    expect(() => loadApiEnv({ VIGIL_SECRET_KEY: 'short' })).toThrow(/VIGIL_SECRET_KEY: must be at least 32 characters/);
    expect(loadApiEnv({ NODE_ENV: 'production', VIGIL_SECRET_KEY: 'k'.repeat(32) }).VIGIL_SECRET_KEY).toBe('k'.repeat(32));
  });

  it('refuses to start without the secret key when NODE_ENV is unset: the development key is public', () => {
    expect(() => loadApiEnv({})).toThrow(/VIGIL_SECRET_KEY: is required \(at least 32 characters.*set NODE_ENV=development/);
    expect(loadApiEnv({ VIGIL_SECRET_KEY: 'k'.repeat(32) }).VIGIL_SECRET_KEY).toBe('k'.repeat(32));
    expect(loadApiEnv({ NODE_ENV: 'development' }).VIGIL_SECRET_KEY).toBeUndefined();
  });
});
