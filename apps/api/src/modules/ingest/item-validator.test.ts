import { IngestLimits, LabelSchema, PredictionSchema } from '@vigil/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makePrediction } from '../../../test/support/ingest.js';
import { checkLabelItem, checkPredictionItem } from './item-validator.js';

const value = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.string({ unit: 'binary', maxLength: 140 }),
  fc.constantFrom(Infinity, -Infinity, NaN, Number.MAX_VALUE * 10, -0, 2 ** 53, 1.5, '2026-06-01T12:00:00Z', '2026-06-01T12:00:00', '2026-02-30T00:00:00Z'),
  fc.constantFrom('x'.repeat(128), 'x'.repeat(129), '😀'.repeat(64), '😀'.repeat(65), '', 'a b', 'A.b_c-1'),
);
const fields = ['id', 'model', 'version', 'timestamp', 'features', 'prediction', 'scores', 'tags', 'label', 'extra'];

describe('compiled item validation', () => {
  it('agrees with zod on every item, valid or not', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ field: fc.constantFrom(...fields), sub: fc.option(fc.string({ maxLength: 140 })), value, del: fc.boolean() }), { maxLength: 4 }),
        (mutations) => {
          const item: Record<string, unknown> = { ...makePrediction(1), tags: { a: 'b' } };
          for (const m of mutations) {
            if (m.del) delete item[m.field];
            else if (m.sub !== null && (m.field === 'features' || m.field === 'tags' || m.field === 'scores')) {
              item[m.field] = { ...(typeof item[m.field] === 'object' ? (item[m.field] as object) : {}), [m.sub]: m.value };
            } else item[m.field] = m.value;
          }
          expect(checkPredictionItem(item).success).toBe(PredictionSchema.safeParse(item).success);
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it('agrees with zod on labels', () => {
    fc.assert(
      fc.property(fc.record({ predictionId: value, label: value, timestamp: fc.option(value, { nil: undefined }) }, { requiredKeys: [] }), (l) => {
        expect(checkLabelItem(l).success).toBe(LabelSchema.safeParse(l).success);
      }),
      { numRuns: 3_000 },
    );
  });

  it('keeps the feature and tag count limits that zod checks as refinements', () => {
    const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, 1]));
    expect(checkPredictionItem({ ...makePrediction(1), features: many(IngestLimits.maxFeatures) }).success).toBe(true);
    expect(checkPredictionItem({ ...makePrediction(1), features: many(IngestLimits.maxFeatures + 1) }).success).toBe(false);
    const tags = Object.fromEntries(Array.from({ length: IngestLimits.maxTags + 1 }, (_, i) => [`t${i}`, 'v']));
    expect(checkPredictionItem({ ...makePrediction(1), tags }).success).toBe(false);
  });
});
