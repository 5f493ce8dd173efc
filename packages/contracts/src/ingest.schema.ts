import { z } from 'zod';

/** Limits of the ingestion contract (DESIGN.md §3). */
export const IngestLimits = {
  maxItemsPerRequest: 5_000,
  maxBodyBytes: 10 * 1024 * 1024,
  maxIdLength: 128,
  maxSlugLength: 64,
  maxFeatures: 500,
  maxTags: 20,
  maxTagValueLength: 256,
  /** Events older than this (relative to receive time) are rejected. */
  maxPastMs: 90 * 24 * 60 * 60 * 1000,
  /** Events further in the future than this are rejected. */
  maxFutureMs: 60 * 60 * 1000,
} as const;

export const SlugSchema = z
  .string()
  .min(1)
  .max(IngestLimits.maxSlugLength)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must start with a letter or digit and contain only letters, digits, ".", "_" and "-"');

export const ClientIdSchema = z.string().min(1).max(IngestLimits.maxIdLength);

/** ISO-8601 string or epoch milliseconds. Range checks happen against the receive time. */
export const EventTimeSchema = z.union([
  z.iso.datetime({ offset: true, local: false }),
  z.number().int().nonnegative(),
]);

export const FeatureValueSchema = z.union([z.number(), z.string(), z.boolean(), z.null()]);
export const LabelValueSchema = z.union([z.number(), z.string(), z.boolean()]);

export const PredictionSchema = z.strictObject({
  id: ClientIdSchema,
  model: SlugSchema,
  version: z.string().min(1).max(IngestLimits.maxSlugLength).optional(),
  timestamp: EventTimeSchema.optional(),
  features: z
    .record(z.string().min(1).max(128), FeatureValueSchema)
    .refine((f) => Object.keys(f).length <= IngestLimits.maxFeatures, {
      message: `at most ${IngestLimits.maxFeatures} features`,
    }),
  prediction: LabelValueSchema,
  scores: z.union([z.number(), z.record(z.string().min(1).max(128), z.number())]).optional(),
  tags: z
    .record(z.string().min(1).max(64), z.string().max(IngestLimits.maxTagValueLength))
    .refine((t) => Object.keys(t).length <= IngestLimits.maxTags, {
      message: `at most ${IngestLimits.maxTags} tags`,
    })
    .optional(),
  label: LabelValueSchema.optional(),
});
export type Prediction = z.infer<typeof PredictionSchema>;

export const LabelSchema = z.strictObject({
  predictionId: ClientIdSchema,
  label: LabelValueSchema,
  timestamp: EventTimeSchema.optional(),
});
export type Label = z.infer<typeof LabelSchema>;

/**
 * Envelopes are validated first; items are validated one by one afterwards so a bad item
 * is reported by index instead of failing the whole request.
 */
export const PredictionsEnvelopeSchema = z.strictObject({
  predictions: z.array(z.unknown()).min(1).max(IngestLimits.maxItemsPerRequest),
});
export const LabelsEnvelopeSchema = z.strictObject({
  labels: z.array(z.unknown()).min(1).max(IngestLimits.maxItemsPerRequest),
});

export const ItemErrorSchema = z.object({
  index: z.number().int().nonnegative(),
  id: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })),
});
export type ItemError = z.infer<typeof ItemErrorSchema>;

export const IngestResponseSchema = z.object({
  accepted: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative(),
  rejected: z.array(ItemErrorSchema),
});
export type IngestResponse = z.infer<typeof IngestResponseSchema>;

/** The epoch milliseconds of an event time as sent (ISO-8601 or epoch ms); absent means the receive time. */
export function eventTimeMs(value: string | number | undefined, receivedAt: number): number {
  return value === undefined ? receivedAt : typeof value === 'number' ? value : Date.parse(value);
}

/** Resolves an event time (epoch ms) against the receive time, or returns a reason it is out of range. */
export function resolveEventTime(
  value: string | number | undefined,
  receivedAt: number,
): { ok: true; time: number } | { ok: false; message: string } {
  const ms = eventTimeMs(value, receivedAt);
  if (!Number.isFinite(ms)) return { ok: false, message: 'is not a valid time' };
  if (ms < receivedAt - IngestLimits.maxPastMs) return { ok: false, message: 'is more than 90 days in the past' };
  if (ms > receivedAt + IngestLimits.maxFutureMs) return { ok: false, message: 'is more than 1 hour in the future' };
  return { ok: true, time: ms };
}

/** Formats zod issues as `{path, message}` with dotted paths ("features.age"). */
export function formatIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
}

/** Request bodies as documented (OpenAPI, SDK types); the server validates envelope and items separately. */
export const PredictionsRequestSchema = z.strictObject({
  predictions: z.array(PredictionSchema).min(1).max(IngestLimits.maxItemsPerRequest),
});
export type PredictionsRequest = z.infer<typeof PredictionsRequestSchema>;

export const LabelsRequestSchema = z.strictObject({
  labels: z.array(LabelSchema).min(1).max(IngestLimits.maxItemsPerRequest),
});
export type LabelsRequest = z.infer<typeof LabelsRequestSchema>;

/** Every non-2xx answer of the REST API. */
export const ErrorResponseSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;

/** Limits of reference dataset uploads (`POST /v1/models/{model}/reference`). */
export const ReferenceLimits = {
  maxRows: 10_000_000,
  maxColumns: IngestLimits.maxFeatures + 10,
  /** A single CSV record or JSONL line. */
  maxRowBytes: 1024 * 1024,
  /** A single CSV cell (characters): a longer value is refused, naming its row and column. */
  maxCellChars: 10_000,
  /** Bytes of one upload after decompression (a gzip bomb stops here): 2 GiB. */
  maxUploadBytes: 2 * 1024 ** 3,
  /** Time one upload may take from its first byte to its last stored row. */
  uploadTimeoutMs: 15 * 60_000,
} as const;

export const ReferenceUploadQuerySchema = z.strictObject({
  name: z.string().min(1).max(200).optional(),
});

export const ReferenceValueSchema = z.union([z.number(), z.string(), z.boolean(), z.null()]);
/** One reference row: a flat object of column name → scalar, as in `features` (plus prediction/label columns). */
export const ReferenceRowSchema = z.record(z.string().min(1).max(128), ReferenceValueSchema);

export const ReferenceUploadResponseSchema = z.object({
  id: z.string(),
  model: z.string(),
  name: z.string(),
  rows: z.number().int().nonnegative(),
  status: z.enum(['receiving', 'pending', 'ready', 'failed']),
});
export type ReferenceUploadResponse = z.infer<typeof ReferenceUploadResponseSchema>;
