import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEVELOPMENT_SECRET_KEY, SecretBox } from '@vigil/db';
import { describe, expect, it, vi } from 'vitest';
import { resolveAuthSecret, resolveSecretKey, WebEnvSchema } from './env';

const parse = (vars: Record<string, string>) => WebEnvSchema.parse(vars);

describe('the auth secret', () => {
  it('is AUTH_SECRET when set', () => {
    const secret = 's'.repeat(40);
    expect(resolveAuthSecret(parse({ NODE_ENV: 'production', AUTH_SECRET: secret }))).toBe(secret);
  });

  it('refuses an AUTH_SECRET shorter than 32 characters', () => {
    expect(() => parse({ AUTH_SECRET: 'short' })).toThrow(/at least 32/);
  });

  it('is generated once in production without AUTH_SECRET, kept private, and reused after a restart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-state-'));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const first = resolveAuthSecret(parse({ NODE_ENV: 'production', VIGIL_STATE_DIR: dir }));
    const second = resolveAuthSecret(parse({ NODE_ENV: 'production', VIGIL_STATE_DIR: dir }));
    expect(first).toHaveLength(43);
    expect(second).toBe(first);
    expect(readFileSync(join(dir, 'auth-secret'), 'utf8').trim()).toBe(first);
    expect(statSync(join(dir, 'auth-secret')).mode & 0o777).toBe(0o600);
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
  });

  it('is a fixed development secret outside production', () => {
    const dev = resolveAuthSecret(parse({ NODE_ENV: 'development' }));
    expect(dev).toBe(resolveAuthSecret(parse({ NODE_ENV: 'test' })));
    expect(dev.length).toBeGreaterThanOrEqual(32);
  });
});

describe('the channel secret key', () => {
  it('is VIGIL_SECRET_KEY when set', () => {
    const key = 'k'.repeat(32);
    expect(resolveSecretKey(parse({ NODE_ENV: 'production', VIGIL_SECRET_KEY: key }))).toBe(key);
  });

  it('refuses a VIGIL_SECRET_KEY shorter than 32 characters', () => {
    expect(() => parse({ VIGIL_SECRET_KEY: 'k'.repeat(31) })).toThrow(/at least 32/);
  });

  it('is the development key every Vigil process shares outside production', () => {
    expect(resolveSecretKey(parse({ NODE_ENV: 'development' }))).toBe(DEVELOPMENT_SECRET_KEY);
    expect(resolveSecretKey(parse({ NODE_ENV: 'test' }))).toBe(DEVELOPMENT_SECRET_KEY);
    // What the web app seals with it, another process opens with the same constant.
    const sealed = new SecretBox(resolveSecretKey(parse({}))).seal({ url: 'https://hooks.example.test' }, 'test:1');
    expect(new SecretBox(DEVELOPMENT_SECRET_KEY).open(sealed, 'test:1')).toEqual({ url: 'https://hooks.example.test' });
  });

  it('is required in production, with a message that names it', () => {
    expect(() => resolveSecretKey(parse({ NODE_ENV: 'production', AUTH_SECRET: 's'.repeat(40) }))).toThrow(
      /VIGIL_SECRET_KEY: is required in production/,
    );
  });
});
