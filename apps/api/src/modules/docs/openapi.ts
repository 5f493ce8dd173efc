import {
  ErrorResponseSchema,
  IngestLimits,
  IngestResponseSchema,
  LabelsRequestSchema,
  PredictionsRequestSchema,
  ReferenceLimits,
  ReferenceUploadResponseSchema,
  SlugSchema,
} from '@vigil/contracts';
import { z } from 'zod';

type JsonSchema = Record<string, unknown>;

/** The same zod schemas that validate requests, as OpenAPI 3.0 schema objects. */
function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const errorResponse = (description: string, headers?: Record<string, unknown>) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/json': { schema: ref('ErrorResponse') } },
});
const retryAfter = { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } } };

const commonErrors = {
  '401': errorResponse('API key missing, unknown or revoked'),
  '403': errorResponse('API key lacks the `ingest` scope'),
  '415': errorResponse('Unsupported Content-Type or Content-Encoding'),
  '429': errorResponse('Rate limit of the project exceeded', retryAfter),
  '503': errorResponse('Storage is unavailable; nothing was stored', retryAfter),
};

const ingestResponses = {
  '200': { description: 'Every item was stored or was a duplicate of an already stored id', content: { 'application/json': { schema: ref('IngestResponse') } } },
  '207': { description: 'Some items were rejected (listed with index, id and field paths); the others were stored', content: { 'application/json': { schema: ref('IngestResponse') } } },
  '400': errorResponse('The envelope is malformed (not JSON, not an object, 0 or more than 5,000 items)'),
  '413': errorResponse(`The body is larger than ${IngestLimits.maxBodyBytes} bytes after decompression`),
  ...commonErrors,
};

const gzipHeader = {
  name: 'Content-Encoding',
  in: 'header',
  required: false,
  description: 'Send `gzip` to compress the body; the size limit applies to the inflated body.',
  schema: { type: 'string', enum: ['gzip', 'identity'] },
};

/** The OpenAPI 3.0 document of the public REST API, served at /v1/openapi.json and rendered at /docs. */
export function buildOpenApiDocument(): JsonSchema {
  return {
    openapi: '3.0.3',
    info: {
      title: 'Vigil API',
      version: '1',
      description:
        'Ingestion and reference uploads of Vigil, the ML monitoring platform. Authenticate with a project API key: ' +
        '`Authorization: Bearer vgl_…`. Events are acknowledged only after they are committed; retrying an item with ' +
        'the same id is counted once.',
    },
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'A project API key (vgl_…)' } },
      schemas: {
        PredictionsRequest: schemaOf(PredictionsRequestSchema, 'input'),
        LabelsRequest: schemaOf(LabelsRequestSchema, 'input'),
        IngestResponse: schemaOf(IngestResponseSchema, 'output'),
        ReferenceUploadResponse: schemaOf(ReferenceUploadResponseSchema, 'output'),
        ErrorResponse: schemaOf(ErrorResponseSchema, 'output'),
      },
    },
    security: [{ apiKey: [] }],
    paths: {
      '/v1/predictions': {
        post: {
          operationId: 'logPredictions',
          summary: 'Log a batch of predictions',
          description: `1 to ${IngestLimits.maxItemsPerRequest} predictions. A new model slug registers the model and infers its column schema.`,
          parameters: [gzipHeader],
          requestBody: { required: true, content: { 'application/json': { schema: ref('PredictionsRequest') } } },
          responses: ingestResponses,
        },
      },
      '/v1/labels': {
        post: {
          operationId: 'logLabels',
          summary: 'Log ground-truth labels',
          description: 'Labels join their prediction by id, whether the prediction arrived before or arrives later.',
          parameters: [gzipHeader],
          requestBody: { required: true, content: { 'application/json': { schema: ref('LabelsRequest') } } },
          responses: ingestResponses,
        },
      },
      '/v1/models/{model}/reference': {
        post: {
          operationId: 'uploadReference',
          summary: 'Upload a reference dataset (CSV with a header row, or JSON Lines)',
          description: `Streamed: up to ${ReferenceLimits.maxRows.toLocaleString('en')} rows. Rows are flat objects of column → number, string, boolean or null.`,
          parameters: [
            { name: 'model', in: 'path', required: true, schema: schemaOf(SlugSchema, 'input') },
            { name: 'name', in: 'query', required: false, schema: { type: 'string', maxLength: 200 } },
            gzipHeader,
          ],
          requestBody: {
            required: true,
            content: {
              'text/csv': { schema: { type: 'string' } },
              'application/x-ndjson': { schema: { type: 'string' } },
            },
          },
          responses: {
            '201': { description: 'Stored; the profile is being built', content: { 'application/json': { schema: ref('ReferenceUploadResponse') } } },
            '400': errorResponse('The file cannot be parsed or a row is invalid (nothing is kept)'),
            '413': errorResponse('Too many rows'),
            ...commonErrors,
          },
        },
      },
    },
  };
}
