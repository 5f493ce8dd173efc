import { describe, expect, it } from 'vitest';
import { formatIssues, IngestLimits, PredictionSchema, PredictionsEnvelopeSchema, resolveEventTime } from './ingest.schema.js';
import { JobId, QueueName, QueuePayloadSchemas } from './queues.js';

const valid = { id: 'p-1', model: 'fraud', features: { amount: 12.5, country: 'DE', new: true, note: null }, prediction: 1 };

describe('prediction schema', () => {
  it('accepts the documented shape', () => {
    expect(PredictionSchema.safeParse(valid).success).toBe(true);
    expect(PredictionSchema.safeParse({ ...valid, scores: { a: 0.2, b: 0.8 }, tags: { country: 'DE' }, label: 'b' }).success).toBe(true);
  });

  it('names the field that is wrong with a dotted path', () => {
    const r = PredictionSchema.safeParse({ ...valid, features: { amount: [1] } });
    expect(r.success).toBe(false);
    if (!r.success) expect(formatIssues(r.error).map((e) => e.path)).toContain('features.amount');
  });

  it('rejects unknown top-level fields instead of silently dropping them', () => {
    const r = PredictionSchema.safeParse({ ...valid, extra: 1 });
    expect(r.success).toBe(false);
  });

  it('limits ids to 128 characters and model slugs to safe characters', () => {
    expect(PredictionSchema.safeParse({ ...valid, id: 'x'.repeat(129) }).success).toBe(false);
    expect(PredictionSchema.safeParse({ ...valid, model: 'a b' }).success).toBe(false);
  });

  it('bounds the envelope to 1..5000 items', () => {
    expect(PredictionsEnvelopeSchema.safeParse({ predictions: [] }).success).toBe(false);
    expect(PredictionsEnvelopeSchema.safeParse({ predictions: new Array(IngestLimits.maxItemsPerRequest + 1).fill(valid) }).success).toBe(false);
  });
});

describe('event time', () => {
  const now = Date.parse('2026-06-01T12:00:00Z');
  it('defaults to the receive time', () => {
    expect(resolveEventTime(undefined, now)).toEqual({ ok: true, time: now });
  });
  it('accepts ISO-8601 and epoch milliseconds inside [now-90d, now+1h]', () => {
    expect(resolveEventTime('2026-05-31T12:00:00Z', now)).toEqual({ ok: true, time: Date.parse('2026-05-31T12:00:00Z') });
    expect(resolveEventTime(now - 1000, now)).toEqual({ ok: true, time: now - 1000 });
  });
  it('rejects times outside the window with a reason', () => {
    expect(resolveEventTime(now - 91 * 86_400_000, now)).toMatchObject({ ok: false, message: expect.stringMatching(/90 days/) });
    expect(resolveEventTime(now + 2 * 3_600_000, now)).toMatchObject({ ok: false, message: expect.stringMatching(/future/) });
  });
});

describe('queue contracts', () => {
  it('declares a payload schema for every queue', () => {
    for (const q of Object.values(QueueName)) expect(QueuePayloadSchemas[q]).toBeDefined();
  });
  it('makes one job id per model version and minute, without ":"', () => {
    const a = JobId.ingestWindow({ modelVersionId: 'v1', minute: '2026-06-01T12:00:00.000Z' });
    expect(a).toBe(JobId.ingestWindow({ modelVersionId: 'v1', minute: '2026-06-01T12:00:00.000Z' }));
    expect(a).not.toBe(JobId.ingestWindow({ modelVersionId: 'v1', minute: '2026-06-01T12:01:00.000Z' }));
    expect(a).not.toContain(':');
  });
});
