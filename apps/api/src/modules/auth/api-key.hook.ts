import { applyDecorators, UseGuards } from '@nestjs/common';
import { METHOD_METADATA } from '@nestjs/common/constants.js';
import { RouteConfig } from '@nestjs/platform-fastify';
import { VigilError } from '@vigil/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { errorResponse } from '../../common/exception.filter.js';
import { ApiKeyGuard } from './api-key.guard.js';
import type { ApiKeyService } from './api-key.service.js';
import { setPrincipal } from './principal.js';
import type { RateLimitService } from './rate-limit.service.js';

/** Fastify route config flag of the routes whose API key is checked before the body is read. */
const API_KEY_ROUTE = 'vigilApiKey';

/**
 * Class decorator of every API-key controller: the key is checked in a Fastify onRequest hook,
 * before the body is read or inflated (see registerApiKeyAuthentication), and ApiKeyGuard then
 * checks the route's scope and the project's rate limit. Marks each route handler of the class
 * with a Fastify route config flag (route configs are per handler, not per class).
 */
export function ApiKeyAuth(): ClassDecorator {
  return applyDecorators(UseGuards(ApiKeyGuard), (target: object) => {
    const proto = (target as { prototype: Record<string, unknown> }).prototype;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      if (typeof descriptor?.value !== 'function' || Reflect.getMetadata(METHOD_METADATA, descriptor.value) === undefined) continue;
      RouteConfig({ [API_KEY_ROUTE]: true })(proto, name, descriptor);
    }
  });
}

/** Whether the matched route is an API-key route (unmatched requests are not: they get 404). */
export function isApiKeyRoute(request: FastifyRequest): boolean {
  return (request.routeOptions.config as unknown as Record<string, unknown> | undefined)?.[API_KEY_ROUTE] === true;
}

/**
 * Authenticates API-key routes as soon as the request line and headers are in, before any body
 * parser runs: a request without a valid key is answered 401 with its body unread (so never
 * inflated nor parsed). Failures are counted per client address (request.ip, which honours
 * VIGIL_TRUSTED_PROXIES); an address over its budget is answered 429 with Retry-After, and
 * from then on only keys this process has recently validated get through from it.
 */
export function registerApiKeyAuthentication(fastify: FastifyInstance, keys: ApiKeyService, limiter: RateLimitService, logger: Logger): void {
  fastify.addHook('onRequest', async (request, reply) => {
    if (!isApiKeyRoute(request)) return;
    const authorization = request.headers.authorization;
    try {
      const blockedMs = limiter.authFailureBlockMs(request.ip);
      if (blockedMs > 0) {
        const cached = keys.authenticateCached(authorization);
        if (!cached) throw tooManyFailures(blockedMs);
        setPrincipal(request, cached);
        return;
      }
      try {
        setPrincipal(request, await keys.authenticate(authorization));
      } catch (err) {
        if (!(err instanceof VigilError) || err.code !== 'UNAUTHENTICATED') throw err;
        const waitMs = await limiter.chargeAuthFailure(request.ip);
        throw waitMs > 0 ? tooManyFailures(waitMs) : err;
      }
    } catch (err) {
      return refuse(request, reply, err, logger);
    }
  });
}

function tooManyFailures(waitMs: number): VigilError {
  return new VigilError('RATE_LIMITED', 'too many requests with a missing or invalid API key from this address; retry later', {
    retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
  });
}

function refuse(request: FastifyRequest, reply: FastifyReply, err: unknown, logger: Logger): FastifyReply {
  const { status, body, headers } = errorResponse(err);
  if (status >= 500) logger.error({ err, url: request.url, method: request.method }, 'request failed');
  for (const [k, v] of Object.entries(headers)) void reply.header(k, v);
  // The body is left unread: close the connection rather than drain what the client still sends.
  if (hasBody(request)) void reply.header('connection', 'close');
  return reply.status(status).send(body);
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
