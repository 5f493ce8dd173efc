import { describe, expect, it } from 'vitest';
import { autoBucket, bucketsFor, MAX_POINTS, RELATIVE_RANGES, resolveTimeRange, TimeRangeInputSchema } from './time-range.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('time ranges', () => {
  it('picks the smallest bucket that keeps a chart at most MAX_POINTS points', () => {
    expect(autoBucket(RELATIVE_RANGES['24h'])).toBe('15m');
    expect(autoBucket(RELATIVE_RANGES['7d'])).toBe('1h');
    expect(autoBucket(RELATIVE_RANGES['30d'])).toBe('4h');
    expect(autoBucket(400 * DAY)).toBe('2d');
    for (const span of [HOUR, DAY, 9 * DAY, 90 * DAY, 400 * DAY]) {
      const r = resolveTimeRange({ range: 'custom', from: new Date(0).toISOString(), to: new Date(span).toISOString() }, 0);
      expect((r.to - r.from) / r.bucketMs).toBeLessThanOrEqual(MAX_POINTS + 1);
    }
    expect(bucketsFor(RELATIVE_RANGES['7d'])).toEqual(['1h', '2h', '4h', '6h', '12h']);
  });

  it('ends a relative range with the bucket holding now, so the newest point is live', () => {
    const now = Date.parse('2026-06-01T12:34:56Z');
    const r = resolveTimeRange(TimeRangeInputSchema.parse({ range: '7d' }), now);
    expect(r).toMatchObject({ bucket: '1h', source: 'hour', bucketMs: HOUR });
    expect(new Date(r.to).toISOString()).toBe('2026-06-01T13:00:00.000Z');
    expect(new Date(r.from).toISOString()).toBe('2026-05-25T12:00:00.000Z');
    expect(resolveTimeRange(TimeRangeInputSchema.parse({ range: '24h' }), now)).toMatchObject({ bucket: '15m', source: 'rolling_1h' });
    expect(resolveTimeRange(TimeRangeInputSchema.parse({ range: '30d', bucket: '1d' }), now)).toMatchObject({ bucket: '1d', source: 'day' });
  });

  it('widens a custom range to whole buckets, its end exclusive', () => {
    const r = resolveTimeRange(TimeRangeInputSchema.parse({ range: 'custom', from: '2026-05-01T10:30:00Z', to: '2026-05-03T10:30:00Z' }), 0);
    expect(r.bucket).toBe('15m');
    expect(new Date(r.from).toISOString()).toBe('2026-05-01T10:30:00.000Z');
    const d = resolveTimeRange(TimeRangeInputSchema.parse({ range: 'custom', from: '2026-05-01T10:30:00Z', to: '2026-05-03T10:30:00Z', bucket: '1d' }), 0);
    expect([new Date(d.from).toISOString(), new Date(d.to).toISOString()]).toEqual(['2026-05-01T00:00:00.000Z', '2026-05-04T00:00:00.000Z']);
  });

  it('refuses a bad custom range or a bucket too fine for it, naming the field', () => {
    const issue = (input: unknown) => {
      const r = TimeRangeInputSchema.safeParse(input);
      return r.success ? null : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(issue({ range: 'custom', from: '2026-05-01T00:00:00Z' })).toEqual(['to: is required for a custom range']);
    expect(issue({ range: 'custom', from: '2026-05-02T00:00:00Z', to: '2026-05-01T00:00:00Z' })).toEqual(['to: must be after from']);
    expect(issue({ range: 'custom', from: '2020-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' })).toEqual(['to: a range spans at most 400 days']);
    expect(issue({ range: '30d', bucket: '15m' })).toEqual(['bucket: too fine for this range: at most 500 points']);
    expect(issue({ range: '7d' })).toBeNull();
    expect(TimeRangeInputSchema.parse(undefined)).toEqual({ range: '7d' });
  });
});
