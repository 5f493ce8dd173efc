import { ArgumentsHost, Catch, HttpException, type ExceptionFilter } from '@nestjs/common';
import { VigilError } from '@vigil/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { UPLOAD_ROUTE } from './http-hardening.js';

interface FastifyishError {
  statusCode?: number;
  code?: string;
  message?: string;
}

/**
 * The one place errors become HTTP responses: `{ error: { code, message, details? } }`.
 * Domain errors carry their status; framework errors (body too large, bad JSON, wrong content
 * type) keep their 4xx; anything else is a 500 that is logged, never leaked.
 */
@Catch()
export class VigilExceptionFilter implements ExceptionFilter {
  constructor(
    private readonly logger: Logger,
    private readonly opts: { retryAfterSeconds: number } = { retryAfterSeconds: 5 },
  ) {}

  catch(exception: unknown, host: ArgumentsHost) {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<FastifyRequest>();
    const { status, body, headers } = errorResponse(exception, { request, retryAfterSeconds: this.opts.retryAfterSeconds });
    if (status >= 500) {
      this.logger.error({ err: exception, url: request.url, method: request.method }, 'request failed');
    }
    for (const [k, v] of Object.entries(headers)) void reply.header(k, v);
    void reply.status(status).send(body);
  }
}

/** The status, `{ error: { code, message, details? } }` body and headers an error is answered with. */
export function errorResponse(
  exception: unknown,
  ctx?: { request: FastifyRequest; retryAfterSeconds: number },
): { status: number; body: unknown; headers: Record<string, string> } {
  if (exception instanceof VigilError) {
    const headers: Record<string, string> = {};
    const retryAfter = exception.details?.retryAfterSeconds;
    if (typeof retryAfter === 'number') headers['retry-after'] = String(Math.max(1, Math.ceil(retryAfter)));
    return {
      status: exception.status,
      body: { error: { code: exception.code, message: exception.message, ...(exception.details ? { details: exception.details } : {}) } },
      headers,
    };
  }
  if (exception instanceof ZodError) {
    return {
      status: 400,
      body: {
        error: {
          code: 'VALIDATION_FAILED',
          message: 'request is invalid',
          details: { errors: exception.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message })) },
        },
      },
      headers: {},
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    return { status, body: { error: { code: codeFor(status), message: exception.message } }, headers: {} };
  }
  const fe = exception as FastifyishError;
  if (fe?.code === 'FST_ERR_HANDLER_TIMEOUT' && ctx) {
    // Fastify's handlerTimeout: the route's own value (reference uploads) or the server's.
    const ms = ctx.request.routeOptions.handlerTimeout;
    const setting = ctx.request.routeOptions.url === UPLOAD_ROUTE.url ? 'HTTP_UPLOAD_TIMEOUT_MS' : 'HTTP_HANDLER_TIMEOUT_MS';
    return {
      status: 503,
      body: { error: { code: 'HANDLER_TIMEOUT', message: `the request was not answered within ${setting} (${ms} ms); retry later` } },
      headers: { 'retry-after': String(ctx.retryAfterSeconds) },
    };
  }
  if (typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, body: { error: { code: codeFor(fe.statusCode), message: fe.message ?? 'bad request' } }, headers: {} };
  }
  return { status: 500, body: { error: { code: 'INTERNAL', message: 'internal error' } }, headers: {} };
}

function codeFor(status: number): string {
  switch (status) {
    case 400:
      return 'BAD_REQUEST';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 415:
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 429:
      return 'RATE_LIMITED';
    default:
      return status >= 500 ? 'INTERNAL' : 'BAD_REQUEST';
  }
}
