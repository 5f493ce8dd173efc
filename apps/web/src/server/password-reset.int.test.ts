import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { env } from '~/env';
import { getAuth } from './auth';
import { SIGN_IN_BACKOFF } from './sign-in-backoff';
import { SmtpReceiver } from '@vigil/testing/smtp';
import { PASSWORD, signUp } from '../../test/support/sessions';

const receiver = new SmtpReceiver();
beforeAll(async () => {
  await receiver.start();
  // Read by env() on first use, which comes after this.
  process.env.VIGIL_SMTP_URL = receiver.url;
  process.env.VIGIL_MAIL_FROM = 'Vigil Test <vigil@example.test>';
});
afterAll(() => receiver.close());

function authRequest(path: string, body: unknown) {
  const base = env().WEB_URL;
  return getAuth().handler(
    new Request(`${base}/api/auth${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base, 'x-vigil-client-address': `10.9.${randomBytes(1)[0]}.${randomBytes(1)[0]! | 1}` },
      body: JSON.stringify(body),
    }),
  );
}

/** Everything written to stdout, stderr and the console while `work` runs. */
async function captureOutput(work: () => Promise<void>): Promise<string> {
  let out = '';
  const keep = (chunk: unknown) => {
    out += typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk);
    return true;
  };
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(keep),
    vi.spyOn(process.stderr, 'write').mockImplementation(keep),
    ...(['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void keep(`${args.map(String).join(' ')}\n`)),
    ),
  ];
  try {
    await work();
  } finally {
    spies.forEach((s) => s.mockRestore());
  }
  return out;
}

describe('password reset by mail', () => {
  it('mails a working link through SMTP, once, and writes nothing of the token to any output', async () => {
    const user = await signUp('forgetful');
    let token = '';
    let output = await captureOutput(async () => {
      const requested = await authRequest('/request-password-reset', { email: user.email, redirectTo: '/reset-password' });
      expect(requested.status).toBe(200);
      const mail = await receiver.waitFor(user.email);
      expect(mail.from).toBe('vigil@example.test');
      expect(mail.text).toMatch(/Subject: Reset your Vigil password/);
      const link = new URL(/(https?:\/\/\S+\/api\/auth\/reset-password\/\S+)/.exec(mail.text)![1]!);
      // The link goes through the auth route, which redirects to the page with the token.
      const redirect = await getAuth().handler(new Request(link, { redirect: 'manual' }));
      const target = new URL(redirect.headers.get('location')!, env().WEB_URL);
      expect(target.pathname).toBe('/reset-password');
      token = target.searchParams.get('token')!;
      expect(token.length).toBeGreaterThanOrEqual(16);
      expect(link.pathname.endsWith(token)).toBe(true);
    });
    output += await captureOutput(async () => {
      const newPassword = 'a brand new passphrase';
      expect((await authRequest('/reset-password', { token, newPassword })).status).toBe(200);
      expect((await authRequest('/sign-in/email', { email: user.email, password: newPassword })).status).toBe(200);
      expect((await authRequest('/sign-in/email', { email: user.email, password: PASSWORD })).status).toBe(401);
      expect((await authRequest('/reset-password', { token, newPassword: 'yet another one!' })).status).toBe(400);
    });
    expect(token).not.toBe('');
    expect(output).not.toContain(token);
  });

  it('a password reset lifts the per-account lock: the owner signs in with the new password', async () => {
    const user = await signUp('locked-out');
    for (let i = 0; i < SIGN_IN_BACKOFF.threshold; i++) await authRequest('/sign-in/email', { email: user.email, password: 'an attacker guess' });
    expect((await authRequest('/sign-in/email', { email: user.email, password: PASSWORD })).status).toBe(429);

    expect((await authRequest('/request-password-reset', { email: user.email, redirectTo: '/reset-password' })).status).toBe(200);
    const mail = await receiver.waitFor(user.email);
    const link = new URL(/(https?:\/\/\S+\/api\/auth\/reset-password\/\S+)/.exec(mail.text)![1]!);
    const redirect = await getAuth().handler(new Request(link, { redirect: 'manual' }));
    const token = new URL(redirect.headers.get('location')!, env().WEB_URL).searchParams.get('token')!;
    const newPassword = 'locked out no more';
    expect((await authRequest('/reset-password', { token, newPassword })).status).toBe(200);
    expect((await authRequest('/sign-in/email', { email: user.email, password: newPassword })).status).toBe(200);
  });
});
