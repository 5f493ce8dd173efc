import { clearSignInFailures, pruneSignInFailures, recordSignInFailure, signInLockedUntil, type SignInBackoffPolicy } from '@vigil/db';
import { APIError, isAPIError } from 'better-auth/api';
import { getDb } from './db';

/**
 * Per-account backoff of sign-ins, on top of the per-address limit: from the 5th consecutive
 * failure for one email (from any address), sign-ins to it are refused for 1 minute, doubling
 * with each further failure up to 1 hour. A successful sign-in or a password reset clears it,
 * so the owner gets in through "Forgot your password?" while guesses stay locked out.
 */
export const SIGN_IN_BACKOFF: SignInBackoffPolicy = { threshold: 5, baseMs: 60_000, maxMs: 60 * 60_000, forgetAfterMs: 24 * 60 * 60_000 };

const SIGN_IN_PATH = '/sign-in/email';

/** The key failures are counted under: the address as typed, trimmed and lower-cased. */
export function accountKey(email: unknown): string | null {
  return typeof email === 'string' && email.trim() !== '' ? email.trim().toLowerCase().slice(0, 320) : null;
}

function lockedError(until: Date): APIError {
  const seconds = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000));
  const minutes = Math.ceil(seconds / 60);
  return new APIError(
    'TOO_MANY_REQUESTS',
    {
      code: 'ACCOUNT_LOCKED',
      message: `Too many failed sign-ins for this account. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or reset your password.`,
    },
    { 'Retry-After': String(seconds), 'X-Retry-After': String(seconds) },
  );
}

/** Before a sign-in: refuse it while its account is locked (even with the right password). */
export async function checkSignInAllowed(path: string, body: unknown): Promise<void> {
  if (path !== SIGN_IN_PATH) return;
  const email = accountKey((body as { email?: unknown } | undefined)?.email);
  if (!email) return;
  const until = await signInLockedUntil(getDb().pool, email);
  if (until) throw lockedError(until);
}

/** After a sign-in: count a wrong password (or unknown email), forget the count on success. */
export async function recordSignInOutcome(path: string, body: unknown, returned: unknown): Promise<void> {
  if (path !== SIGN_IN_PATH) return;
  const email = accountKey((body as { email?: unknown } | undefined)?.email);
  if (!email) return;
  if (isAPIError(returned)) {
    if (returned.statusCode !== 401) return;
    await recordSignInFailure(getDb().pool, email, SIGN_IN_BACKOFF);
    // Now and then, drop series nobody continued (the table holds one row per email tried).
    if (Math.random() < 0.01) await pruneSignInFailures(getDb().pool, SIGN_IN_BACKOFF.forgetAfterMs);
    return;
  }
  await clearSignInFailures(getDb().pool, email);
}

/** After a password reset: the account is its owner's again. */
export async function clearBackoffAfterReset(email: string): Promise<void> {
  const key = accountKey(email);
  if (key) await clearSignInFailures(getDb().pool, key);
}
