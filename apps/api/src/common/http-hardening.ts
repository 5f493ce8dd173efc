import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiEnv } from '../env.js';

/** The one route whose body is a long stream (a reference file of up to millions of rows). */
export const UPLOAD_ROUTE = { method: 'POST', url: '/v1/models/:model/reference' } as const;

const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * Fastify's socket and request timeouts: a connection silent for HTTP_IDLE_TIMEOUT_MS is closed;
 * every request must have arrived within HTTP_UPLOAD_TIMEOUT_MS (Node answers 408), the longest
 * any request may legitimately take; and a request must be answered within
 * HTTP_HANDLER_TIMEOUT_MS (503). JSON bodies are also bounded by HTTP_BODY_TIMEOUT_MS in the body
 * parser (408).
 */
export function httpTimeouts(env: ApiEnv) {
  return {
    connectionTimeout: env.HTTP_IDLE_TIMEOUT_MS,
    requestTimeout: env.HTTP_UPLOAD_TIMEOUT_MS,
    handlerTimeout: env.HTTP_HANDLER_TIMEOUT_MS,
  };
}

/**
 * Registers, on the Fastify instance before any route: the upload route's own handler timeout
 * (it reads its body while it runs), HSTS on requests that came over TLS (directly or as
 * `X-Forwarded-Proto: https` from the proxy). A handler timeout reaches the exception filter,
 * which answers it 503 HANDLER_TIMEOUT.
 */
export function registerHttpHardening(fastify: FastifyInstance, env: ApiEnv): void {
  fastify.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (route.url === UPLOAD_ROUTE.url && methods.includes(UPLOAD_ROUTE.method)) route.handlerTimeout = env.HTTP_UPLOAD_TIMEOUT_MS;
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    setTransportSecurity(request, reply);
    done();
  });
}

/** HSTS on a request that came over TLS; `protocol` honours X-Forwarded-Proto (trustProxy). */
function setTransportSecurity(request: FastifyRequest, reply: FastifyReply): void {
  if (request.protocol === 'https') void reply.header('strict-transport-security', HSTS);
}

/**
 * The headers of an answer Fastify gives before routing (a malformed URL), which no hook sees:
 * the two that matter for a JSON error body, and HSTS.
 */
export function setFrameworkErrorHeaders(request: FastifyRequest, reply: FastifyReply): void {
  void reply.header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer');
  setTransportSecurity(request, reply);
}

/**
 * Security headers on every API response (errors and 404s included): `X-Content-Type-Options:
 * nosniff`, `Referrer-Policy: no-referrer` and helmet's other defaults, through Nest's built-in
 * `useSecurityHeaders`. No Content-Security-Policy (the API serves JSON, and /docs has its own
 * page), and HSTS only over TLS (above).
 */
export function useApiSecurityHeaders(app: NestFastifyApplication): void {
  app.useSecurityHeaders({ contentSecurityPolicy: false, strictTransportSecurity: false });
}
