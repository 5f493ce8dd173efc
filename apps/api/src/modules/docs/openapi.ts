import {
  AlertRuleDefinitionSchema,
  ChannelInputSchema,
  ChannelUpdateSchema,
  ModelDetailSchema,
  ModelListResponseSchema,
  ModelSettingsSchema,
  MetricsResponseSchema,
  NotificationPolicySchema,
  ReferenceFromEventsSchema,
  SilenceCreateSchema,
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
  '503': errorResponse('Storage is unavailable (STORAGE_UNAVAILABLE) or this API process holds more ingest than the database absorbs (OVERLOADED); nothing was stored', retryAfter),
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
  const json = (schema: string) => ({ 'application/json': { schema: ref(schema) } });
  const ok = (description: string, schema?: string) => ({ description, ...(schema ? { content: json(schema) } : {}) });
  const managed = (description: string) => ({
    '400': errorResponse('A field is invalid (each named by its path)'),
    '401': errorResponse('API key missing, unknown or revoked'),
    '403': errorResponse('API key lacks the scope (reading: `read`, changing: `admin`)'),
    '404': errorResponse(`No such ${description} for the team that owns the key's project`),
  });
  const idParam = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });
  const modelParam = { name: 'model', in: 'path', required: true, schema: schemaOf(SlugSchema, 'input') };
  const manage = (summary: string, what: string, extra: Record<string, unknown> = {}) => ({ summary, responses: { '200': ok('Done'), ...managed(what) }, ...extra });
  return {
    openapi: '3.0.3',
    info: {
      title: 'Vigil API',
      version: '1',
      description:
        'Ingestion, reference uploads, the read API and alerting of Vigil, the ML monitoring platform. Authenticate ' +
        'with a project API key: `Authorization: Bearer vgl_…`. Events are acknowledged only after they are committed; ' +
        'retrying an item with the same id is counted once. Alerting routes act for the team that owns the key\'s project.',
    },
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'A project API key (vgl_…)' } },
      schemas: {
        PredictionsRequest: schemaOf(PredictionsRequestSchema, 'input'),
        LabelsRequest: schemaOf(LabelsRequestSchema, 'input'),
        IngestResponse: schemaOf(IngestResponseSchema, 'output'),
        ReferenceUploadResponse: schemaOf(ReferenceUploadResponseSchema, 'output'),
        ErrorResponse: schemaOf(ErrorResponseSchema, 'output'),
        ModelDetail: schemaOf(ModelDetailSchema, 'output'),
        ModelList: schemaOf(ModelListResponseSchema, 'output'),
        MetricsResponse: schemaOf(MetricsResponseSchema, 'output'),
        ModelSettings: schemaOf(ModelSettingsSchema, 'input'),
        ReferenceFromEvents: schemaOf(ReferenceFromEventsSchema, 'input'),
        AlertRuleDefinition: schemaOf(AlertRuleDefinitionSchema, 'input'),
        ChannelInput: schemaOf(ChannelInputSchema, 'input'),
        ChannelUpdate: schemaOf(ChannelUpdateSchema, 'input'),
        SilenceCreate: schemaOf(SilenceCreateSchema, 'input'),
        NotificationPolicy: schemaOf(NotificationPolicySchema, 'input'),
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
      '/v1/models': {
        get: {
          operationId: 'listModels',
          summary: 'One page of the models of the key\'s project (slug order); nextCursor continues it',
          parameters: [
            { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 100 } },
            { name: 'cursor', in: 'query', required: false, schema: { type: 'string' }, description: 'the nextCursor of the previous page' },
          ],
          responses: { '200': ok('The models', 'ModelList'), ...managed('project') },
        },
      },
      '/v1/models/{model}': {
        get: {
          operationId: 'getModel',
          summary: 'A model: versions, one page of columns, segment tags, reference',
          parameters: [
            modelParam,
            { name: 'columnsLimit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000, default: 1000 } },
            { name: 'columnsCursor', in: 'query', required: false, schema: { type: 'string' }, description: 'the columnsNextCursor of the previous page' },
          ],
          responses: { '200': ok('The model', 'ModelDetail'), ...managed('model') },
        },
        patch: {
          operationId: 'updateModel',
          summary: 'Model settings: name, task, segment tags, drift options (admin)',
          parameters: [modelParam],
          requestBody: { required: true, content: json('ModelSettings') },
          responses: { '200': ok('The settings'), ...managed('model') },
        },
      },
      '/v1/models/{model}/metrics': {
        get: {
          operationId: 'getMetrics',
          summary: 'Metric points by metric, column, granularity and time range',
          parameters: [
            modelParam,
            ...['metric', 'column', 'granularity', 'segment', 'version', 'from', 'to'].map((name) => ({ name, in: 'query', required: false, schema: { type: 'string' } })),
          ],
          responses: { '200': ok('The points', 'MetricsResponse'), ...managed('model') },
        },
      },
      '/v1/models/{model}/references': {
        post: {
          operationId: 'createReferenceFromEvents',
          summary: 'A reference from the model\'s own events: a time range or a trailing window (admin)',
          parameters: [modelParam],
          requestBody: { required: true, content: json('ReferenceFromEvents') },
          responses: { '202': ok('Building'), ...managed('model') },
        },
      },
      '/v1/alerts': {
        get: {
          operationId: 'listAlerts',
          summary: 'Alert instances of the team (default: pending, firing, nodata)',
          parameters: [
            { name: 'state', in: 'query', required: false, schema: { type: 'string', enum: ['active', 'all', 'ok', 'pending', 'firing', 'resolved', 'nodata'] } },
            { name: 'modelId', in: 'query', required: false, schema: { type: 'string' } },
            { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 500 } },
          ],
          responses: { '200': ok('The alerts'), ...managed('team') },
        },
      },
      '/v1/alerts/{alertId}/acknowledge': { post: manage('Acknowledge a firing or pending alert until its episode ends (admin)', 'alert', { operationId: 'acknowledgeAlert', parameters: [idParam('alertId')] }) },
      '/v1/alert-rules': {
        get: { operationId: 'listAlertRules', summary: 'The team\'s alert rules', responses: { '200': ok('The rules'), ...managed('team') } },
        post: { operationId: 'createAlertRule', summary: 'Create a rule (admin)', requestBody: { required: true, content: json('AlertRuleDefinition') }, responses: { '201': ok('Created'), ...managed('team') } },
      },
      '/v1/alert-rules/backtest': {
        post: {
          operationId: 'backtestAlertRule',
          summary: 'When a draft rule would have fired over the last days (admin)',
          requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', properties: { definition: ref('AlertRuleDefinition'), days: { type: 'integer', minimum: 1, maximum: 30 } }, required: ['definition'] } } } },
          responses: { '200': ok('The draft with its defaults, days, from, to, windows (complete windows replayed) and episodes (fingerprint, labels, modelName, firedAt, resolvedAt, peakSeverity); more days than the granularity allows is a 400 at days'), ...managed('team') },
        },
      },
      '/v1/alert-rules/{ruleId}': {
        get: { operationId: 'getAlertRule', summary: 'A rule', parameters: [idParam('ruleId')], responses: { '200': ok('The rule'), ...managed('rule') } },
        put: { operationId: 'updateAlertRule', summary: 'Replace a rule (admin)', parameters: [idParam('ruleId')], requestBody: { required: true, content: json('AlertRuleDefinition') }, responses: { '200': ok('Updated'), ...managed('rule') } },
        delete: manage('Delete a rule and its alerts (admin)', 'rule', { operationId: 'deleteAlertRule', parameters: [idParam('ruleId')] }),
      },
      '/v1/channels': {
        get: { operationId: 'listChannels', summary: 'The team\'s notification channels (no secrets)', responses: { '200': ok('The channels'), ...managed('team') } },
        post: {
          operationId: 'createChannel',
          summary: 'Create a webhook, Slack, email or PagerDuty channel (admin); a generated webhook signing secret is returned once',
          description:
            'Webhook and Slack URLs must point to public addresses: a host that is loopback, private, link-local, CGNAT, multicast, ' +
            'unspecified or a cloud metadata name (in any spelling, e.g. `2130706433`, `[::ffff:127.0.0.1]`) is refused with 400 at ' +
            '`url` / `webhookUrl`, unless the operator allows it with VIGIL_NOTIFICATION_ALLOW_HOSTS.',
          requestBody: { required: true, content: json('ChannelInput') },
          responses: { '201': ok('Created'), ...managed('team') },
        },
      },
      '/v1/channels/{channelId}': {
        patch: { operationId: 'updateChannel', summary: 'Rename, enable or disable (admin)', parameters: [idParam('channelId')], requestBody: { required: true, content: json('ChannelUpdate') }, responses: { '200': ok('Updated'), ...managed('channel') } },
        delete: manage('Delete a channel; rules stop using it (admin)', 'channel', { operationId: 'deleteChannel', parameters: [idParam('channelId')] }),
      },
      '/v1/channels/{channelId}/test': {
        post: {
          operationId: 'testChannel',
          summary: 'Send a test notification (admin); one per channel every 10 s',
          parameters: [idParam('channelId')],
          responses: { '202': ok('Queued'), ...managed('channel'), '429': errorResponse('A test was sent on this channel less than 10 s ago (RATE_LIMITED)', retryAfter) },
        },
      },
      '/v1/channels/{channelId}/deliveries': { get: { operationId: 'listDeliveries', summary: "Recent deliveries and their attempts: each attempt's HTTP status and a short reason in Vigil's words (never the receiver's answer)", parameters: [idParam('channelId')], responses: { '200': ok('The deliveries'), ...managed('channel') } } },
      '/v1/silences': {
        get: { operationId: 'listSilences', summary: 'Active silences (with `expired=true`, also past ones)', parameters: [{ name: 'expired', in: 'query', required: false, schema: { type: 'string', enum: ['true', 'false'] } }], responses: { '200': ok('The silences'), ...managed('team') } },
        post: { operationId: 'createSilence', summary: 'Mute alerts whose labels match, until it ends (admin)', requestBody: { required: true, content: json('SilenceCreate') }, responses: { '201': ok('Created'), ...managed('team') } },
      },
      '/v1/silences/{silenceId}': { delete: manage('End a silence now (admin)', 'silence', { operationId: 'expireSilence', parameters: [idParam('silenceId')] }) },
      '/v1/bi-access': {
        get: {
          operationId: 'getBiAccess',
          summary: "The workspace's BI login (admin): host, port, database, schema and user (null: none), never the password",
          responses: { '200': ok('The BI access'), ...managed('workspace') },
        },
        post: {
          operationId: 'issueBiAccess',
          summary:
            "Create the workspace's read-only BI database login, or give it a new password (admin). The answer { host, port, database, user, password, schema: \"bi\" } is the only place the password is shown; the old password stops working.",
          responses: {
            '201': ok('The credentials'),
            ...managed('workspace'),
            '403': errorResponse('The key lacks the admin scope, or was not created by a workspace owner or admin (who still is one)'),
            '409': errorResponse('The database user of this installation cannot create logins (needs CREATEROLE, docs/bi.md)'),
          },
        },
        delete: manage("Revoke the workspace's BI login (admin): { revoked: false } when it had none", 'workspace', { operationId: 'revokeBiAccess' }),
      },
      '/v1/notification-policy': {
        get: { operationId: 'getNotificationPolicy', summary: 'How the team\'s notifications are grouped and repeated', responses: { '200': ok('The policy', 'NotificationPolicy'), ...managed('team') } },
        put: { operationId: 'setNotificationPolicy', summary: 'Change it (admin)', requestBody: { required: true, content: json('NotificationPolicy') }, responses: { '200': ok('The policy', 'NotificationPolicy'), ...managed('team') } },
      },
    },
  };
}
