import { randomBytes, randomInt } from 'node:crypto';
import { ensureWorkspace, generateApiKey } from '@vigil/db';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { env } from '~/env';
import { getAuth, SIGN_IN_LIMIT } from './auth';
import { getDb } from './db';
import { PASSWORD, signUp } from '../../test/support/sessions';

/** A request to the auth routes as a browser at `ip` would send it. */
function authRequest(path: string, body: unknown, ip = `10.${randomInt(255)}.${randomInt(255)}.${randomInt(1, 255)}`) {
  const base = env().WEB_URL;
  return getAuth().handler(
    new Request(`${base}/api/auth${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base, 'x-forwarded-for': ip },
      body: JSON.stringify(body),
    }),
  );
}

afterEach(() => vi.restoreAllMocks());

describe('web sign-in', () => {
  it('signs in a user created by the seed / headless initialisation (argon2id credential account)', async () => {
    const tag = randomBytes(4).toString('hex');
    const email = `seeded-${tag}@example.test`;
    await ensureWorkspace(getDb().system, {
      organization: `Seeded ${tag}`,
      project: 'P',
      apiKey: generateApiKey().secret,
      userEmail: email,
      userPassword: PASSWORD,
    });
    const ok = await authRequest('/sign-in/email', { email, password: PASSWORD });
    expect(ok.status).toBe(200);
    const wrong = await authRequest('/sign-in/email', { email, password: 'not the password' });
    expect(wrong.status).toBe(401);
  });

  it('keeps the session in an http-only, SameSite=Lax cookie backed by a database row', async () => {
    const email = `cookie-${randomBytes(4).toString('hex')}@example.test`;
    const res = await authRequest('/sign-up/email', { email, password: PASSWORD, name: 'Cookie' });
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('vigil.session_token='));
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const user = await getDb().system.user.findUniqueOrThrow({ where: { email } });
    expect(await getDb().system.session.count({ where: { userId: user.id } })).toBe(1);
    const account = await getDb().system.account.findFirstOrThrow({ where: { userId: user.id } });
    expect(account.providerId).toBe('credential');
    expect(account.password).toMatch(/^\$argon2id\$/);
  });

  it('rate-limits repeated sign-in attempts from one address', async () => {
    const ip = `10.200.${randomInt(255)}.${randomInt(1, 255)}`;
    const email = `limited-${randomBytes(4).toString('hex')}@example.test`;
    const statuses: number[] = [];
    for (let i = 0; i < SIGN_IN_LIMIT.max + 1; i++) {
      statuses.push((await authRequest('/sign-in/email', { email, password: 'wrong-password' }, ip)).status);
    }
    expect(statuses.slice(0, SIGN_IN_LIMIT.max).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    // Another address is not affected.
    expect((await authRequest('/sign-in/email', { email, password: 'wrong-password' })).status).toBe(401);
  });

  it('resets a password with the token from the emailed link, once', async () => {
    const user = await signUp('forgetful');
    const mail = vi.spyOn(console, 'info').mockImplementation(() => {});
    const requested = await authRequest('/request-password-reset', { email: user.email, redirectTo: '/reset-password' });
    expect(requested.status).toBe(200);
    const line = mail.mock.calls.map((c) => String(c[0])).find((l) => l.includes(`to=${user.email}`));
    expect(line).toBeDefined();
    const link = new URL(/link=(\S+)/.exec(line!)![1]!);
    // The link goes through the auth route, which redirects to the page with the token.
    const redirect = await getAuth().handler(new Request(link, { redirect: 'manual' }));
    const target = new URL(redirect.headers.get('location')!, env().WEB_URL);
    expect(target.pathname).toBe('/reset-password');
    const token = target.searchParams.get('token')!;
    expect(token).toBeTruthy();

    const newPassword = 'a brand new passphrase';
    expect((await authRequest('/reset-password', { token, newPassword })).status).toBe(200);
    expect((await authRequest('/sign-in/email', { email: user.email, password: newPassword })).status).toBe(200);
    expect((await authRequest('/sign-in/email', { email: user.email, password: PASSWORD })).status).toBe(401);
    expect((await authRequest('/reset-password', { token, newPassword: 'yet another one!' })).status).toBe(400);
  });
});
