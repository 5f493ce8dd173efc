import type { Executor } from './executor.js';

/**
 * When an account is locked after failed sign-ins: from `threshold` failures on, for `baseMs`
 * doubled per further failure, at most `maxMs`. Failures older than `forgetAfterMs` are
 * forgotten (the count starts again).
 */
export interface SignInBackoffPolicy {
  threshold: number;
  baseMs: number;
  maxMs: number;
  forgetAfterMs: number;
}

/** Until when sign-ins to `email` are refused, or null when they are not. */
export async function signInLockedUntil(db: Executor, email: string): Promise<Date | null> {
  const { rows } = await db.query<{ locked_until: Date }>(
    'SELECT locked_until FROM sign_in_failures WHERE email = $1 AND locked_until > now()',
    [email],
  );
  return rows[0]?.locked_until ?? null;
}

/** The consecutive failures after this one (an old series is forgotten), in the upsert below. */
const COUNT = `(CASE WHEN f.last_failure_at < now() - $5::float8 * interval '1 millisecond' THEN 1 ELSE f.failures + 1 END)`;

/**
 * Counts a failed sign-in to `email` (whether or not an account has that address) and returns
 * the consecutive failures and the lock it earned, if any. One upsert, so concurrent
 * failures each count.
 */
export async function recordSignInFailure(db: Executor, email: string, policy: SignInBackoffPolicy): Promise<{ failures: number; lockedUntil: Date | null }> {
  const { rows } = await db.query<{ failures: number; locked_until: Date | null }>(
    `INSERT INTO sign_in_failures AS f (email, failures, last_failure_at, locked_until)
     VALUES ($1, 1, now(), CASE WHEN 1 >= $2::int THEN now() + $3::float8 * interval '1 millisecond' END)
     ON CONFLICT (email) DO UPDATE SET
       failures = ${COUNT},
       last_failure_at = now(),
       locked_until = CASE WHEN ${COUNT} >= $2::int
         THEN now() + least($4::float8, $3::float8 * power(2, ${COUNT} - $2::int)) * interval '1 millisecond' END
     RETURNING failures, locked_until`,
    [email, policy.threshold, policy.baseMs, policy.maxMs, policy.forgetAfterMs],
  );
  const row = rows[0]!;
  return { failures: row.failures, lockedUntil: row.locked_until };
}

/** Forgets the failed sign-ins of `email` (after a successful sign-in or password reset). */
export async function clearSignInFailures(db: Executor, email: string): Promise<void> {
  await db.query('DELETE FROM sign_in_failures WHERE email = $1', [email]);
}

/** Deletes rows whose last failure is older than `olderThanMs` and that hold no lock. */
export async function pruneSignInFailures(db: Executor, olderThanMs: number): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM sign_in_failures WHERE last_failure_at < now() - $1::float8 * interval '1 millisecond' AND (locked_until IS NULL OR locked_until < now())`,
    [olderThanMs],
  );
  return rowCount ?? 0;
}
