import { BUCKET_NAMES, RANGE_NAMES, TimeRangeInputSchema, type BucketName, type RangeName, type TimeRange } from '@vigil/contracts';

/*
 * The chart time range in the URL: `?range=24h|7d|30d|custom&from=&to=&bucket=`. Server pages
 * prefetch with the same input the client components then ask for, so the query keys match.
 */

export type SearchParams = Record<string, string | string[] | undefined>;

const one = (v: string | string[] | undefined) => (typeof v === 'string' ? v : undefined);

/** The range the URL asks for, or the default (7 days) when it names none or an invalid one. */
export function timeRangeFrom(params: SearchParams | URLSearchParams): TimeRange {
  const get = (k: string) => (params instanceof URLSearchParams ? (params.get(k) ?? undefined) : one(params[k]));
  const range = get('range');
  const bucket = get('bucket');
  const input = {
    ...(range && (RANGE_NAMES as readonly string[]).includes(range) ? { range: range as RangeName } : {}),
    ...(get('from') ? { from: get('from') } : {}),
    ...(get('to') ? { to: get('to') } : {}),
    ...(bucket && (BUCKET_NAMES as readonly string[]).includes(bucket) ? { bucket: bucket as BucketName } : {}),
  };
  const parsed = TimeRangeInputSchema.safeParse(input);
  if (!parsed.success) return { range: '7d' };
  // Only the fields that matter, so server and client build the same query key.
  const { range: r, from, to, bucket: b } = parsed.data;
  return { range: r, ...(r === 'custom' ? { from, to } : {}), ...(b ? { bucket: b } : {}) } as TimeRange;
}

/** The URL parameters of a range (the default, 7 days with its automatic bucket, is no parameter at all). */
export function timeRangeParams(t: TimeRange): Record<string, string> {
  const out: Record<string, string> = {};
  if (t.range !== '7d') out.range = t.range;
  if (t.range === 'custom' && t.from && t.to) {
    out.from = t.from;
    out.to = t.to;
  }
  if (t.bucket) out.bucket = t.bucket;
  return out;
}

/** The model version the URL names (`?version=`), if any. */
export function versionFrom(params: SearchParams | URLSearchParams): string | undefined {
  const v = params instanceof URLSearchParams ? params.get('version') : one(params.version);
  return v && /^[\w-]{1,64}$/.test(v) ? v : undefined;
}
