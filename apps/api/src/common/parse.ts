import { formatIssues, unstorableTextError, VigilError } from '@vigil/contracts';
import type { z } from 'zod';

/**
 * Validates a path parameter, query or body, or throws a 400 naming each field that is wrong.
 * Text Postgres cannot store (NUL, unpaired surrogates) is refused here, before any schema, so
 * it never reaches the database as an error.
 */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  // A scalar (path parameter) is the field itself; a body's fields are named inside it.
  const unstorable = unstorableTextError(value, typeof value === 'string' ? what : '');
  if (unstorable) throw unstorable;
  const r = schema.safeParse(value);
  if (!r.success) throw new VigilError('VALIDATION_FAILED', `${what} is invalid`, { errors: formatIssues(r.error) });
  return r.data;
}
