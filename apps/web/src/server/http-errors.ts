import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { VigilError } from '@vigil/contracts';
import { ZodError } from 'zod';
import { toTRPCError } from './trpc';

/**
 * An error of a route handler (downloads and uploads) as the REST API answers errors:
 * `{ error: { code, message, details? } }` with the domain error's status; never a stack.
 */
export function errorResponse(err: unknown): Response {
  if (err instanceof ZodError) {
    const errors = err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    return Response.json({ error: { code: 'VALIDATION_FAILED', message: 'request is invalid', details: { errors } } }, { status: 400 });
  }
  const cause = err instanceof TRPCError ? err.cause : err;
  if (cause instanceof VigilError) {
    return Response.json({ error: { code: cause.code, message: cause.message, ...(cause.details ? { details: cause.details } : {}) } }, { status: cause.status });
  }
  if (err instanceof TRPCError) {
    const mapped = toTRPCError(err);
    return Response.json({ error: { code: mapped.code, message: mapped.message } }, { status: getHTTPStatusCodeFromError(mapped) });
  }
  console.error('request failed:', err);
  return Response.json({ error: { code: 'INTERNAL', message: 'internal error' } }, { status: 500 });
}
