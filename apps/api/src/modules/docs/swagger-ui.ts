import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { buildOpenApiDocument } from './openapi.js';

/**
 * Interactive docs at /docs: Swagger UI with its assets served from the installed package
 * (no CDN), rendering the same document as /v1/openapi.json.
 */
export async function registerInteractiveDocs(fastify: FastifyInstance): Promise<void> {
  await fastify.register(swagger, { mode: 'static', specification: { document: buildOpenApiDocument() as never } });
  await fastify.register(swaggerUi, { routePrefix: '/docs', uiConfig: { url: '/v1/openapi.json', deepLinking: true } });
}
