import { describe, expect, it, vi } from 'vitest';
import { env } from '~/env';
import { getAuth, RESET_DISABLED_MESSAGE } from './auth';
import { signUp } from '../../test/support/sessions';

describe('password reset without a mail server', () => {
  it('answers the request with 503 and the reason, and sends or logs no link', async () => {
    expect(env().VIGIL_SMTP_URL).toBeUndefined();
    const user = await signUp('no-smtp');
    const info = vi.spyOn(console, 'info');
    const base = env().WEB_URL;
    const res = await getAuth().handler(
      new Request(`${base}/api/auth/request-password-reset`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: base, 'x-vigil-client-address': '10.77.0.1' },
        body: JSON.stringify({ email: user.email, redirectTo: '/reset-password' }),
      }),
    );
    expect(res.status).toBe(503);
    const body = (await res.json()) as { code: string; message: string };
    expect(body.code).toBe('PASSWORD_RESET_DISABLED');
    expect(body.message).toBe(RESET_DISABLED_MESSAGE);
    expect(body.message).toMatch(/VIGIL_SMTP_URL/);
    expect(info.mock.calls.map((c) => String(c[0])).filter((l) => l.includes(user.email))).toEqual([]);
    const rows = await import('./db').then(({ getDb }) => getDb().system.verification.count({ where: { identifier: { startsWith: 'reset-password:' }, value: user.userId } }));
    expect(rows).toBe(0);
  });
});
