import { z } from 'zod';
import { DRIFT_TEST_NAMES } from './drift-tests.js';

const DriftChoiceSchema = z.strictObject({
  test: z.enum(DRIFT_TEST_NAMES).optional(),
  threshold: z.number().positive().finite().optional(),
});

/** Drift options of a model (defaults: the size-aware selection of DESIGN.md §5). */
export const DriftSettingsSchema = DriftChoiceSchema.extend({
  perKind: z.partialRecord(z.enum(['numerical', 'categorical', 'boolean']), DriftChoiceSchema).optional(),
  perColumn: z.record(z.string().min(1).max(256), DriftChoiceSchema).optional(),
  driftShare: z.number().gt(0).lte(1).optional(),
  falseDiscoveryRate: z.literal('benjamini-hochberg').optional(),
});
export type DriftSettings = z.infer<typeof DriftSettingsSchema>;

/** `PATCH /v1/models/{model}` (admin scope): only the fields given change. */
export const ModelSettingsSchema = z.strictObject({
  name: z.string().min(1).max(200).optional(),
  task: z.enum(['binary', 'multiclass', 'regression']).nullable().optional(),
  /** Tags whose values get metrics of their own (at most 50 values per tag per day). */
  segmentTags: z.array(z.string().min(1).max(64)).max(5).optional(),
  drift: DriftSettingsSchema.nullable().optional(),
});
export type ModelSettings = z.infer<typeof ModelSettingsSchema>;

/** `POST /v1/models/{model}/references` (admin scope): a reference built from the model's own events. */
export const ReferenceFromEventsSchema = z.discriminatedUnion('source', [
  z.strictObject({
    source: z.literal('range'),
    name: z.string().min(1).max(200).optional(),
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
  }),
  z.strictObject({
    source: z.literal('trailing'),
    name: z.string().min(1).max(200).optional(),
    days: z.number().int().min(1).max(90),
  }),
]);
export type ReferenceFromEvents = z.infer<typeof ReferenceFromEventsSchema>;
