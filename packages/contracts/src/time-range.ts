import { z } from 'zod';

/*
 * The time range of a chart and how its points are bucketed, shared by the web app's URL, its
 * tRPC inputs and the server that answers them. A chart gets about 50–200 points: the bucket is
 * the smallest that keeps it under MAX_POINTS, unless the user picks another that fits.
 */

export const RELATIVE_RANGES = { '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;
export type RelativeRange = keyof typeof RELATIVE_RANGES;
export const RANGE_NAMES = ['24h', '7d', '30d', 'custom'] as const;
export type RangeName = (typeof RANGE_NAMES)[number];

/** Bucket lengths a chart may use, with the stored granularity each one reads. */
export const BUCKETS = {
  '15m': { ms: 15 * 60_000, source: 'rolling_1h' },
  '1h': { ms: 3_600_000, source: 'hour' },
  '2h': { ms: 2 * 3_600_000, source: 'hour' },
  '4h': { ms: 4 * 3_600_000, source: 'hour' },
  '6h': { ms: 6 * 3_600_000, source: 'hour' },
  '12h': { ms: 12 * 3_600_000, source: 'hour' },
  '1d': { ms: 86_400_000, source: 'day' },
  '2d': { ms: 2 * 86_400_000, source: 'day' },
  '7d': { ms: 7 * 86_400_000, source: 'day' },
} as const satisfies Record<string, { ms: number; source: 'rolling_1h' | 'hour' | 'day' }>;
export type BucketName = keyof typeof BUCKETS;
export const BUCKET_NAMES = Object.keys(BUCKETS) as [BucketName, ...BucketName[]];

/** Most points a chart is given; the automatic bucket keeps it at most this. */
export const MAX_POINTS = 200;
/** A bucket the user picks may give at most this many points. */
const MAX_CHOSEN_POINTS = 500;
/** Longest custom range. */
export const MAX_RANGE_MS = 400 * 86_400_000;

export const TimeRangeInputSchema = z
  .object({
    range: z.enum(RANGE_NAMES).default('7d'),
    /** Custom ranges only: ISO-8601, `to` exclusive. */
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    /** Default: the smallest bucket that gives at most MAX_POINTS points. */
    bucket: z.enum(BUCKET_NAMES).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.range !== 'custom') return;
    if (!v.from) ctx.addIssue({ code: 'custom', path: ['from'], message: 'is required for a custom range' });
    if (!v.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'is required for a custom range' });
    if (!v.from || !v.to) return;
    const span = Date.parse(v.to) - Date.parse(v.from);
    if (span <= 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    else if (span > MAX_RANGE_MS) ctx.addIssue({ code: 'custom', path: ['to'], message: 'a range spans at most 400 days' });
  })
  .superRefine((v, ctx) => {
    if (!v.bucket) return;
    const span = spanOf(v);
    if (span !== null && span / BUCKETS[v.bucket].ms > MAX_CHOSEN_POINTS) {
      ctx.addIssue({ code: 'custom', path: ['bucket'], message: `too fine for this range: at most ${MAX_CHOSEN_POINTS} points` });
    }
  })
  .prefault({});
export type TimeRangeInput = z.input<typeof TimeRangeInputSchema>;
export type TimeRange = z.output<typeof TimeRangeInputSchema>;

function spanOf(v: Pick<TimeRange, 'range' | 'from' | 'to'>): number | null {
  if (v.range !== 'custom') return RELATIVE_RANGES[v.range];
  return v.from && v.to ? Date.parse(v.to) - Date.parse(v.from) : null;
}

/** The smallest bucket that gives at most MAX_POINTS points over `spanMs`. */
export function autoBucket(spanMs: number): BucketName {
  for (const name of BUCKET_NAMES) if (spanMs / BUCKETS[name].ms <= MAX_POINTS) return name;
  return '7d';
}

/** Buckets that suit a span: from the automatic one up to those that still give about a dozen points. */
export function bucketsFor(spanMs: number): BucketName[] {
  return BUCKET_NAMES.filter((name) => spanMs / BUCKETS[name].ms <= MAX_CHOSEN_POINTS && spanMs / BUCKETS[name].ms >= 12);
}

export interface ResolvedRange {
  range: RangeName;
  /** Epoch ms, aligned to the bucket; `to` is exclusive. */
  from: number;
  to: number;
  bucket: BucketName;
  bucketMs: number;
  /** The stored granularity the buckets are made of. */
  source: 'rolling_1h' | 'hour' | 'day';
}

/**
 * Where a range's buckets fall at `now`: relative ranges end with the bucket holding `now` (so
 * the newest point is live), custom ranges are widened to whole buckets.
 */
export function resolveTimeRange(input: TimeRange, now: number): ResolvedRange {
  const span = spanOf(input) ?? RELATIVE_RANGES['7d'];
  const bucket = input.bucket ?? autoBucket(span);
  const bucketMs = BUCKETS[bucket].ms;
  const end = input.range === 'custom' && input.to ? Date.parse(input.to) : now;
  const to = Math.ceil((end + (input.range === 'custom' ? 0 : 1)) / bucketMs) * bucketMs;
  const from = Math.floor((input.range === 'custom' && input.from ? Date.parse(input.from) : end - span) / bucketMs) * bucketMs;
  return { range: input.range, from, to, bucket, bucketMs, source: BUCKETS[bucket].source };
}
