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
export const ModelListResponseSchema = z.object({ models: z.array(ModelSummarySchema) });

export const ModelDetailSchema = ModelSummarySchema.extend({
  columns: z.array(z.object({ name: z.string(), kind: z.string(), role: z.string(), typeMismatches: z.number() })),
  segmentTags: z.array(z.string()),
  reference: z
    .object({ id: z.string(), name: z.string(), source: z.string(), status: z.string(), rows: z.number(), readyAt: z.string().nullable() })
    .nullable(),
});
export type ModelDetail = z.infer<typeof ModelDetailSchema>;
