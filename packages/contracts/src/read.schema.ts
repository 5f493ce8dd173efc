import { z } from 'zod';
import { GranularitySchema, MetricNameSchema } from './metrics.js';

/** Query of `GET /v1/models/{model}/metrics`. Times are ISO-8601; `to` is exclusive. */
export const MetricsQuerySchema = z
  .strictObject({
    metric: z
      .union([MetricNameSchema, z.string().regex(/^[a-z0-9_]+(,[a-z0-9_]+)*$/)])
      .optional()
      .describe('one metric name, or several separated by commas'),
    column: z.string().min(1).max(256).optional(),
    granularity: GranularitySchema.default('hour'),
    version: z.string().min(1).max(64).optional(),
    segment: z.string().max(300).default('').describe('"" for the whole population, else "tag=value"'),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    limit: z.coerce.number().int().min(1).max(10_000).default(1_000),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), { path: ['to'], message: 'must be after from' })
  .refine((q) => !q.metric || q.metric.split(',').every((m) => MetricNameSchema.safeParse(m).success), {
    path: ['metric'],
    message: 'unknown metric name',
  });
export type MetricsQuery = z.infer<typeof MetricsQuerySchema>;

export const MetricPointSchema = z.object({
  metric: z.string(),
  column: z.string().nullable(),
  segment: z.string().nullable(),
  version: z.string().nullable(),
  granularity: GranularitySchema,
  windowStart: z.string(),
  value: z.number(),
  details: z.unknown().nullable(),
});
export type MetricPoint = z.infer<typeof MetricPointSchema>;

export const MetricsResponseSchema = z.object({ points: z.array(MetricPointSchema) });
export type MetricsResponse = z.infer<typeof MetricsResponseSchema>;

export const ModelSummarySchema = z.object({
  slug: z.string(),
  name: z.string(),
  task: z.string().nullable(),
  createdAt: z.string(),
  versions: z.array(z.string()),
});
/** Cursors are opaque to clients: the `nextCursor` of one page, passed back as `cursor`. */
const CursorSchema = z.string().min(1).max(1_024).regex(/^[A-Za-z0-9_-]+$/, 'is not a cursor returned by this API');

/** Query of `GET /v1/models`: one page of the project's models, in slug order. */
export const ModelListQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100).describe('models per page (1–500, default 100)'),
  cursor: CursorSchema.optional().describe('the nextCursor of the previous page'),
});
export type ModelListQuery = z.infer<typeof ModelListQuerySchema>;

/** Query of `GET /v1/models/{model}`: one page of the model's columns, in (role, name) order. */
export const ModelDetailQuerySchema = z.strictObject({
  columnsLimit: z.coerce.number().int().min(1).max(1_000).default(1_000).describe('columns per page (1–1,000, default 1,000)'),
  columnsCursor: CursorSchema.optional().describe('the columnsNextCursor of the previous page'),
});
export type ModelDetailQuery = z.infer<typeof ModelDetailQuerySchema>;

export const ModelListResponseSchema = z.object({
  models: z.array(ModelSummarySchema),
  nextCursor: z.string().nullable().describe('pass as cursor for the next page; null on the last page'),
});

export const ModelDetailSchema = ModelSummarySchema.extend({
  columns: z.array(z.object({ name: z.string(), kind: z.string(), role: z.string(), typeMismatches: z.number() })),
  columnsNextCursor: z.string().nullable().describe('pass as columnsCursor for the next page of columns; null on the last page'),
  segmentTags: z.array(z.string()),
  reference: z
    .object({ id: z.string(), name: z.string(), source: z.string(), status: z.string(), rows: z.number(), readyAt: z.string().nullable() })
    .nullable(),
});
export type ModelDetail = z.infer<typeof ModelDetailSchema>;
