import { formatIssues, VigilError } from '@vigil/contracts';
import type { z } from 'zod';

/** Validates a path parameter, query or body, or throws a 400 naming each field that is wrong. */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw new VigilError('VALIDATION_FAILED', `${what} is invalid`, { errors: formatIssues(r.error) });
  return r.data;
}
