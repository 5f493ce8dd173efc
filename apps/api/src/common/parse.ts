import { findUnstorableText, formatIssues, UNSTORABLE_TEXT_MESSAGE, VigilError } from '@vigil/contracts';
import type { z } from 'zod';

/**
 * Validates a path parameter, query or body, or throws a 400 naming each field that is wrong.
 * Text Postgres cannot store (NUL, unpaired surrogates) is refused here, before any schema, so
 * it never reaches the database as an error.
 */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  refuseUnstorable(value, what);
  const r = schema.safeParse(value);
  if (!r.success) throw new VigilError('VALIDATION_FAILED', `${what} is invalid`, { errors: formatIssues(r.error) });
  return r.data;
}

/** Throws a 400 naming the first field of `value` whose text cannot be stored. */
export function refuseUnstorable(value: unknown, what: string): void {
  const at = findUnstorableText(value);
  if (at === null) return;
  // A scalar (path parameter, whole body) is the field itself.
  const path = at === '(root)' ? (typeof value === 'string' ? what : '') : at;
  throw new VigilError('VALIDATION_FAILED', `${what} is invalid: ${path || what} ${UNSTORABLE_TEXT_MESSAGE}`, {
    errors: [{ path, message: UNSTORABLE_TEXT_MESSAGE }],
  });
}
