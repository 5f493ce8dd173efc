import { AlertRuleDefinitionSchema } from '@vigil/contracts';
import type { AlertRuleDefinitionInput } from '@vigil/contracts';
import type { AlertLabels } from '../fingerprint.js';
import type { AlertRule } from '../rule.js';
import type { MetricPoint } from '../series.js';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
/** Start of the first hourly window in the tests. */
export const T0 = Date.UTC(2026, 5, 1);

/** Hourly missing_share on column "age" of model m1/v1, warning above 0.1, critical above 0.3. */
export function makeRule(
  overrides: Partial<AlertRuleDefinitionInput> = {},
  id = 'rule-1',
): AlertRule {
  return {
    id,
    definition: AlertRuleDefinitionSchema.parse({
      name: 'age missing',
      metric: 'missing_share',
      column: { kind: 'one', name: 'age' },
      granularity: 'hour',
      condition: { op: '>', threshold: { kind: 'fixed', warning: 0.1, critical: 0.3 } },
      ...overrides,
    }),
  };
}

/** The point of hourly window `i` (starting at T0 + i h). */
export function point(i: number, value: number, overrides: Partial<MetricPoint> = {}): MetricPoint {
  return {
    metric: 'missing_share',
    column: 'age',
    segment: '',
    modelId: 'm1',
    modelVersionId: 'v1',
    granularity: 'hour',
    windowStart: T0 + i * HOUR,
    value,
    ready: true,
    ...overrides,
  };
}

export function points(
  values: readonly number[],
  overrides: Partial<MetricPoint> = {},
): MetricPoint[] {
  return values.map((v, i) => point(i, v, overrides));
}

/** Evaluation time of hourly window `i`: its end plus a 5-minute grace period. */
export function readyAt(i: number): number {
  return T0 + (i + 1) * HOUR + 5 * MINUTE;
}

export const LABELS: AlertLabels = { model: 'm1', version: 'v1', column: 'age', segment: '' };
