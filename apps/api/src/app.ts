import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { IngestLimits } from '@vigil/contracts';
import { LogController, type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { AppModule } from './app.module.js';
import { registerBodyParsers } from './common/body.js';
import { VigilExceptionFilter } from './common/exception.filter.js';
import { httpTimeouts, registerHttpHardening, setFrameworkErrorHeaders, useApiSecurityHeaders } from './common/http-hardening.js';
import type { ApiEnv } from './env.js';
import { createLogger, PinoNestLogger } from './infra/logger.js';
import { registerApiKeyAuthentication } from './modules/auth/api-key.hook.js';
import { ApiKeyService } from './modules/auth/api-key.service.js';
import { RateLimitService } from './modules/auth/rate-limit.service.js';
import { MetricsService } from './modules/observability/metrics.service.js';
import { registerInteractiveDocs } from './modules/docs/swagger-ui.js';

export { loadApiEnv, type ApiEnv } from './env.js';

export interface CreatedApp {
  app: NestFastifyApplication;
  logger: Logger;
}

/** VIGIL_TRUSTED_PROXIES as Fastify's trustProxy: a hop count trusts that many proxies nearest to us. */
function fastifyTrustProxy(trusted: ApiEnv['VIGIL_TRUSTED_PROXIES']): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof trusted === 'number' ? (_address, hop) => hop < trusted : trusted;
}

/** Builds the API application (not yet listening). Used by main.ts and by integration tests. */
export async function createApp(env: ApiEnv, logger: Logger = createLogger(env.LOG_LEVEL)): Promise<CreatedApp> {
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    // Per-request lines would drown the log at ingest rates; metrics cover request volume.
    logController: new LogController({ disableRequestLogging: true }),
    // JSON bodies are read by our own parser (gzip-aware, limit on the inflated size).
    bodyLimit: IngestLimits.maxBodyBytes,
    // request.ip is the socket address unless the operator names the proxies in front (VIGIL_TRUSTED_PROXIES).
    trustProxy: fastifyTrustProxy(env.VIGIL_TRUSTED_PROXIES),
    return503OnClosing: true,
    // Long path parameters reach validation, which names the field (Fastify's default: 414 at 100).
    routerOptions: { maxParamLength: 1_000 },
    ...httpTimeouts(env),
    // Errors Fastify raises before routing (a malformed percent-encoding in the URL) get the same
    // `{ error: { code, message } }` body as every other error.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      setFrameworkErrorHeaders(request, reply);
      const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
      void reply.status(status).send({ error: { code: 'BAD_REQUEST', message: error.message } });
    },
  });
  registerHttpHardening(adapter.getInstance(), env);
  registerBodyParsers(adapter.getInstance(), { timeoutMs: env.HTTP_BODY_TIMEOUT_MS });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot({ env, logger }), adapter, {
    logger: new PinoNestLogger(logger),
    bufferLogs: false,
    bodyParser: false,
  });
  useApiSecurityHeaders(app);
  await registerInteractiveDocs(adapter.getInstance());
  app.useGlobalFilters(new VigilExceptionFilter(logger, { retryAfterSeconds: env.RETRY_AFTER_SECONDS }));
  app.enableShutdownHooks();
  // Before any body parser runs: requests without a valid API key are refused with the body unread.
  registerApiKeyAuthentication(adapter.getInstance(), app.get(ApiKeyService), app.get(RateLimitService), logger);
  const metrics = app.get(MetricsService);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onResponse', (request, reply, done) => {
      // The route pattern, never the raw URL: label values stay bounded.
      const route = request.routeOptions.url ?? 'unmatched';
      metrics.requestDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
      done();
    });
  return { app, logger };
}
