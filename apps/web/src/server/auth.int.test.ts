import { randomBytes, randomInt } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ensureWorkspace, generateApiKey } from '@vigil/db';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { env } from '~/env';
import { CLIENT_ADDRESS_HEADER as SERVER_HEADER, normalizeForwarding, parseTrustedProxies } from '../../forwarding.mjs';
import { CLIENT_ADDRESS_HEADER, getAuth, SIGN_IN_LIMIT } from './auth';
import { getDb } from './db';
import { SIGN_IN_BACKOFF } from './sign-in-backoff';
import { PASSWORD, signUp } from '../../test/support/sessions';

const randomAddress = () => `10.${randomInt(255)}.${randomInt(255)}.${randomInt(1, 255)}`;

/** A request to the auth routes as server.mjs hands it on for a browser at `ip`. */
function authRequest(path: string, body: unknown, ip = randomAddress()) {
  const base = env().WEB_URL;
  return getAuth().handler(
    new Request(`${base}/api/auth${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base, [CLIENT_ADDRESS_HEADER]: ip },
      body: JSON.stringify(body),
    }),
  );
}

/**
 * The auth routes behind server.mjs' forwarding step on a loopback port (the built app is not
 * needed for that): requests go through normalizeForwarding with `trustedProxies`, then to the
 * auth library.
 */
async function serveAuth(trustedProxies: string | undefined): Promise<{ server: Server; url: string }> {
  const trust = parseTrustedProxies(trustedProxies);
  const server = createServer((req, res) => {
    normalizeForwarding(req, trust);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
      const answer = await getAuth().handler(new Request(`${env().WEB_URL}${req.url}`, { method: req.method, headers, body: Buffer.concat(chunks) }));
      res.writeHead(answer.status, Object.fromEntries(answer.headers));
      res.end(await answer.text());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
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
    // A new email each time, so that only the address limit applies (not the per-account one).
    const email = () => `limited-${randomBytes(4).toString('hex')}@example.test`;
    const statuses: number[] = [];
    for (let i = 0; i < SIGN_IN_LIMIT.max + 1; i++) {
      statuses.push((await authRequest('/sign-in/email', { email: email(), password: 'wrong-password' }, ip)).status);
    }
    expect(statuses.slice(0, SIGN_IN_LIMIT.max).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    // Another address is not affected.
    expect((await authRequest('/sign-in/email', { email: email(), password: 'wrong-password' })).status).toBe(401);
  });
});

describe('the sign-in address limit behind server.mjs', () => {
  const servers: Server[] = [];
  afterAll(() => servers.forEach((s) => s.close()));
  // A new email each time, so that only the address limit applies (not the per-account one).
  const signIn = (url: string, forwardedFor: string) =>
    fetch(`${url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: env().WEB_URL, 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ email: `spoof-${randomBytes(4).toString('hex')}@example.test`, password: 'wrong-password' }),
    }).then((r) => r.status);

  it('uses the header server.mjs sets', () => {
    expect(SERVER_HEADER).toBe(CLIENT_ADDRESS_HEADER);
  });

  it('without trusted proxies, a new X-Forwarded-For per request does not escape the limit', async () => {
    const { server, url } = await serveAuth(undefined);
    servers.push(server);
    // The loopback bucket of earlier runs of this test.
    await getDb().pool.query(`DELETE FROM rate_limits WHERE key LIKE '127.0.0.1|%'`);
    const statuses: number[] = [];
    for (let i = 0; i < SIGN_IN_LIMIT.max + 1; i++) statuses.push(await signIn(url, randomAddress()));
    expect(statuses.slice(0, SIGN_IN_LIMIT.max).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    await getDb().pool.query(`DELETE FROM rate_limits WHERE key LIKE '127.0.0.1|%'`);
  });

  it('behind a trusted proxy, the address it appended counts, whatever the client put in front', async () => {
    const { server, url } = await serveAuth('127.0.0.1');
    servers.push(server);
    const client = randomAddress();
    const statuses: number[] = [];
    for (let i = 0; i < SIGN_IN_LIMIT.max + 1; i++) statuses.push(await signIn(url, `${randomAddress()}, ${client}`));
    expect(statuses.slice(0, SIGN_IN_LIMIT.max).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    // Another client behind the same proxy has its own bucket.
    expect(await signIn(url, randomAddress())).toBe(401);
  });
});

describe('per-account sign-in backoff', () => {
  it('locks an account after repeated failures from different addresses, even for the right password, and not other accounts', async () => {
    const user = await signUp('guessed');
    const other = await signUp('bystander');
    for (let i = 0; i < SIGN_IN_BACKOFF.threshold; i++) {
      expect((await authRequest('/sign-in/email', { email: user.email, password: `guess ${i} is wrong` })).status).toBe(401);
    }
    const locked = await authRequest('/sign-in/email', { email: user.email.toUpperCase(), password: PASSWORD });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(locked.headers.get('retry-after'))).toBeLessThanOrEqual(SIGN_IN_BACKOFF.baseMs / 1000);
    expect(((await locked.json()) as { code: string }).code).toBe('ACCOUNT_LOCKED');
    expect((await authRequest('/sign-in/email', { email: other.email, password: PASSWORD })).status).toBe(200);
  });

  it('doubles the lock with each further failure', async () => {
    const email = `nobody-${randomBytes(4).toString('hex')}@example.test`;
    for (let i = 0; i < SIGN_IN_BACKOFF.threshold; i++) await authRequest('/sign-in/email', { email, password: 'wrong-password' });
    // Let the first lock lapse without waiting a minute, then fail once more.
    await getDb().pool.query(`UPDATE sign_in_failures SET locked_until = now() - interval '1 second' WHERE email = $1`, [email]);
    expect((await authRequest('/sign-in/email', { email, password: 'wrong-password' })).status).toBe(401);
    const res = await authRequest('/sign-in/email', { email, password: 'wrong-password' });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(SIGN_IN_BACKOFF.baseMs / 1000);
  });

  it('a successful sign-in before the threshold forgets the failures', async () => {
    const user = await signUp('typo');
    for (let i = 0; i < SIGN_IN_BACKOFF.threshold - 1; i++) await authRequest('/sign-in/email', { email: user.email, password: 'wrong-password' });
    expect((await authRequest('/sign-in/email', { email: user.email, password: PASSWORD })).status).toBe(200);
    expect((await authRequest('/sign-in/email', { email: user.email, password: 'wrong-password' })).status).toBe(401);
    expect((await authRequest('/sign-in/email', { email: user.email, password: PASSWORD })).status).toBe(200);
  });
});
