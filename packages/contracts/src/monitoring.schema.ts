import { z } from 'zod';
import { ColumnKindSchema, ColumnRoleSchema, MetricName, MetricNameSchema } from './metrics.js';
import { ModelSettingsSchema, ReferenceFromEventsSchema } from './model-settings.schema.js';
import { TimeRangeInputSchema } from './time-range.js';
import { IdSchema } from './web.schema.js';

/*
 * Inputs of the web app's monitoring procedures: the workspace overview, a model's pages and the
 * datasets list. Every one that draws a chart takes a `TimeRangeInput`.
 */

/** A model's health, worst first: what the overview sorts and filters by. */
export const HEALTH_LEVELS = ['critical', 'warning', 'nodata', 'ok'] as const;
export const HealthLevelSchema = z.enum(HEALTH_LEVELS);
export type HealthLevel = z.infer<typeof HealthLevelSchema>;

export const OverviewInputSchema = z.object({ time: TimeRangeInputSchema });
export type OverviewInput = z.input<typeof OverviewInputSchema>;

export const ModelIdInputSchema = z.object({ modelId: IdSchema });

/** A model's data, for one version (default: the one that reported last). */
const ModelScope = { modelId: IdSchema, versionId: IdSchema.optional() };

export const ModelTimeInputSchema = z.object({ ...ModelScope, time: TimeRangeInputSchema });
export type ModelTimeInput = z.input<typeof ModelTimeInputSchema>;

/** Points of some metrics over time; at most 12 metrics and 40 columns per call. */
export const ModelSeriesInputSchema = z.object({
  ...ModelScope,
  time: TimeRangeInputSchema,
  metrics: z.array(MetricNameSchema).min(1).max(12),
  /** Column names as points carry them ('' for model-level metrics); default: every column. */
  columns: z.array(z.string().max(256)).max(40).optional(),
  /** '' (default) for the whole population, else "tag=value". */
  segment: z.string().max(300).default(''),
});
export type ModelSeriesInput = z.input<typeof ModelSeriesInputSchema>;

/** Performance estimated before labels arrive (CBPE), charted against the realized metric. */
export const ESTIMATE_CHART_METRICS = [
  MetricName.estimatedF1,
  MetricName.estimatedAccuracy,
  MetricName.estimatedPrecision,
  MetricName.estimatedRecall,
  MetricName.estimatedRocAuc,
] as const;

/** One estimated metric over the range, with its band and the realized metric (default: estimated F1). */
export const ModelEstimateInputSchema = z.object({
  ...ModelScope,
  time: TimeRangeInputSchema,
  metric: z.enum(ESTIMATE_CHART_METRICS).default(MetricName.estimatedF1),
});
export type ModelEstimateInput = z.input<typeof ModelEstimateInputSchema>;

/** One column's reference and current distributions over the range. */
export const ColumnDistributionInputSchema = z.object({
  ...ModelScope,
  time: TimeRangeInputSchema,
  /** The column as drift points name it: a feature's name, or `prediction:prediction` / `score:<class>`. */
  column: z.string().min(1).max(256),
});
export type ColumnDistributionInput = z.input<typeof ColumnDistributionInputSchema>;

/** The confusion matrix of one hour or day window (default: the newest that has one). */
export const ConfusionMatrixInputSchema = z.object({
  ...ModelScope,
  granularity: z.enum(['hour', 'day']).default('day'),
  windowStart: z.iso.datetime({ offset: true }).optional(),
});

export const VersionsCompareInputSchema = z.object({ modelId: IdSchema, a: IdSchema, b: IdSchema, time: TimeRangeInputSchema });

/** Settings a maintainer changes on the model page: those of `PATCH /v1/models/{model}`, plus column kinds. */
export const ModelSettingsUpdateInputSchema = z.object({
  modelId: IdSchema,
  settings: ModelSettingsSchema.extend({
    /** Kind overrides: a column's kind decides its profile and drift test from the next event on. */
    columnKinds: z
      .array(z.strictObject({ role: ColumnRoleSchema, name: z.string().min(1).max(256), kind: ColumnKindSchema }))
      .max(500)
      .optional(),
  }),
});
export type ModelSettingsUpdateInput = z.input<typeof ModelSettingsUpdateInputSchema>;

export const ModelReferenceCreateInputSchema = z.object({ modelId: IdSchema, reference: ReferenceFromEventsSchema });

/** A one-off report: the current window against the reference, or against another window. */
export const WindowReportQuerySchema = z
  .strictObject({
    versionId: IdSchema.optional(),
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
    /** `reference` (default): the model's reference dataset; `window`: [baselineFrom, baselineTo). */
    against: z.enum(['reference', 'window']).default('reference'),
    baselineFrom: z.iso.datetime({ offset: true }).optional(),
    baselineTo: z.iso.datetime({ offset: true }).optional(),
  })
  .superRefine((q, ctx) => {
    if (Date.parse(q.to) <= Date.parse(q.from)) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    if (Date.parse(q.to) - Date.parse(q.from) > 31 * 86_400_000) ctx.addIssue({ code: 'custom', path: ['to'], message: 'a report covers at most 31 days' });
    if (q.against !== 'window') return;
    if (!q.baselineFrom) ctx.addIssue({ code: 'custom', path: ['baselineFrom'], message: 'is required to compare with a window' });
    if (!q.baselineTo) ctx.addIssue({ code: 'custom', path: ['baselineTo'], message: 'is required to compare with a window' });
    if (q.baselineFrom && q.baselineTo && Date.parse(q.baselineTo) <= Date.parse(q.baselineFrom)) {
      ctx.addIssue({ code: 'custom', path: ['baselineTo'], message: 'must be after baselineFrom' });
    }
  });
export type WindowReportQuery = z.infer<typeof WindowReportQuerySchema>;
