import { hashPassword, verifyPassword } from '@vigil/db';
import { betterAuth } from 'better-auth';
import { prismaAdapter } from 'better-auth/adapters/prisma';
import { APIError, createAuthMiddleware } from 'better-auth/api';
import { env, resolveAuthSecret } from '~/env';
import { getDb } from './db';
import { mailEnabled, passwordResetMail, sendMail } from './mailer';
import { checkSignInAllowed, clearBackoffAfterReset, recordSignInOutcome } from './sign-in-backoff';

/** Sign-in attempts allowed per client address within the window (seconds). */
export const SIGN_IN_LIMIT = { window: 60, max: 5 } as const;

/** The header server.mjs puts the settled client address in (forwarding.mjs: CLIENT_ADDRESS_HEADER). */
export const CLIENT_ADDRESS_HEADER = 'x-vigil-client-address';

const RESET_TOKEN_MINUTES = 60;

/** What the request endpoint answers while no mail server is configured (the page says the same). */
export const RESET_DISABLED_MESSAGE =
  'Password reset is disabled: no mail server is configured (VIGIL_SMTP_URL). Ask an administrator of your workspace for help.';

/** WEB_URL, plus its loopback twin (localhost ↔ 127.0.0.1), so a local install works under either name. */
function trustedOrigins(webUrl: string): string[] {
  const url = new URL(webUrl);
  const twin = url.hostname === 'localhost' ? '127.0.0.1' : url.hostname === '127.0.0.1' ? 'localhost' : null;
  if (!twin) return [url.origin];
  const other = new URL(url);
  other.hostname = twin;
  return [url.origin, other.origin];
}

function createAuth() {
  const e = env();
  return betterAuth({
    appName: 'Vigil',
    baseURL: e.WEB_URL,
    basePath: '/api/auth',
    secret: resolveAuthSecret(e),
    trustedOrigins: trustedOrigins(e.WEB_URL),
    database: prismaAdapter(getDb().system, { provider: 'postgresql' }),
    telemetry: { enabled: false },
    emailAndPassword: {
      enabled: true,
      minPasswordLength: 8,
      maxPasswordLength: 128,
      // The same argon2id hashes as users created by the seed and headless initialisation.
      password: {
        hash: hashPassword,
        verify: ({ hash, password }) => verifyPassword(hash, password),
      },
      resetPasswordTokenExpiresIn: RESET_TOKEN_MINUTES * 60,
      revokeSessionsOnPasswordReset: true,
      // Not awaited: the answer takes as long whether or not the account exists. A failure is
      // logged without the link (which is as good as the password) or the recipient.
      sendResetPassword: async ({ user, url }) => {
        sendMail(passwordResetMail(user.email, url, RESET_TOKEN_MINUTES)).catch((err: Error & { code?: string }) =>
          console.error(`password reset mail could not be sent: ${err.code ?? err.name}`),
        );
      },
      onPasswordReset: async ({ user }) => clearBackoffAfterReset(user.email),
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path === '/request-password-reset' && !mailEnabled()) {
          throw new APIError('SERVICE_UNAVAILABLE', { code: 'PASSWORD_RESET_DISABLED', message: RESET_DISABLED_MESSAGE });
        }
        await checkSignInAllowed(ctx.path, ctx.body);
      }),
      after: createAuthMiddleware(async (ctx) => recordSignInOutcome(ctx.path, ctx.body, ctx.context.returned)),
    },
    session: {
      expiresIn: 60 * 60 * 24 * 14,
      updateAge: 60 * 60 * 24,
      additionalFields: {
        // The workspace the user is looking at; set only by the workspace switcher.
        activeOrganizationId: { type: 'string', required: false, input: false },
      },
    },
    rateLimit: {
      enabled: true,
      // Shared by every web process through Postgres (table rate_limits).
      storage: 'database',
      window: 60,
      max: 120,
      customRules: {
        '/sign-in/email': SIGN_IN_LIMIT,
        '/sign-up/email': { window: 60, max: 10 },
        '/request-password-reset': { window: 60, max: 5 },
        '/reset-password': { window: 60, max: 10 },
      },
    },
    advanced: {
      cookiePrefix: 'vigil',
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax' },
      // The client address as server.mjs settled it from the connection and VIGIL_TRUSTED_PROXIES
      // (a client-sent X-Forwarded-For would let each request pick its own rate-limit bucket).
      // Without that header (e.g. `next start`), production falls back to one shared bucket.
      ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER] },
      database: { generateId: false },
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;

const globalForAuth = globalThis as unknown as { vigilAuth?: Auth };

export function getAuth(): Auth {
  globalForAuth.vigilAuth ??= createAuth();
  return globalForAuth.vigilAuth;
}

export type AuthSession = NonNullable<Awaited<ReturnType<Auth['api']['getSession']>>>;

/** The signed-in user's session from request headers (cookie), or null. */
export async function getSessionFromHeaders(headers: Headers): Promise<AuthSession | null> {
  return getAuth().api.getSession({ headers });
}
