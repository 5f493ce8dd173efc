import { AlertRuleDefinitionSchema, formatIssues } from '@vigil/contracts';
import { describe, expect, it } from 'vitest';
import { evaluateRule } from './evaluate.js';
import type { AlertInstanceState } from './state-machine.js';
import { makeRule, point, readyAt } from './test/fixtures.js';
import { evaluateThreshold } from './threshold.js';

const EMPTY: ReadonlyMap<string, AlertInstanceState> = new Map();
const band = { thresholdLower: 0.7, thresholdUpper: 0.9, lower: 0.6, upper: 0.8, samplingError: 0.03 };

/** "Estimated F1 below its lower band" — the rule an estimate is watched with. */
const belowBand = {
  name: 'estimated F1 below its reference band',
  metric: 'estimated_f1',
  column: { kind: 'any' },
  granularity: 'hour',
  condition: { op: '<', threshold: { kind: 'reference_band' } },
};

function issues(input: unknown): string[] {
  const r = AlertRuleDefinitionSchema.safeParse(input);
  return r.success ? [] : formatIssues(r.error).map((i) => `${i.path}: ${i.message}`);
}

describe('reference_band rules', () => {
  it('are expressible for estimated metrics, critical by default', () => {
    expect(issues(belowBand)).toEqual([]);
    expect(AlertRuleDefinitionSchema.parse(belowBand).condition.threshold).toEqual({ kind: 'reference_band', severity: 'critical' });
    expect(issues({ ...belowBand, condition: { op: 'outside_band', threshold: { kind: 'reference_band', severity: 'warning' } } })).toEqual([]);
  });

  it('refuse other metrics, other ops, a missing op and a label coverage minimum, naming the field', () => {
    expect(issues({ ...belowBand, metric: 'f1' })).toEqual([expect.stringMatching(/^metric: reference_band needs one of estimated_accuracy/)]);
    expect(issues({ ...belowBand, condition: { op: '<=', threshold: { kind: 'reference_band' } } })).toEqual([expect.stringMatching(/^condition.op: reference_band thresholds need op/)]);
    expect(issues({ ...belowBand, condition: { threshold: { kind: 'reference_band' } } })).toEqual([expect.stringMatching(/^condition.op: op is required/)]);
    expect(issues({ ...belowBand, minLabelCoverage: 0.5 })).toEqual([expect.stringMatching(/^minLabelCoverage: estimated_f1 is estimated without labels/)]);
  });

  it('compare the value with the bound of the op, from the point`s details', () => {
    const judge = (op: string, value: number, details: unknown = band) =>
      evaluateThreshold(AlertRuleDefinitionSchema.parse({ ...belowBand, condition: { op, threshold: { kind: 'reference_band' } } }).condition, { metric: 'estimated_f1', value, history: [], details });
    expect(judge('<', 0.65)).toEqual({ evaluable: true, breached: true, severity: 'critical', threshold: 0.7, observed: 0.65 });
    expect(judge('<', 0.7)).toMatchObject({ breached: false, severity: null });
    expect(judge('<', 0.95)).toMatchObject({ breached: false });
    expect(judge('>', 0.95)).toMatchObject({ breached: true, threshold: 0.9 });
    expect(judge('outside_band', 0.95)).toMatchObject({ breached: true, threshold: { low: 0.7, high: 0.9 } });
    expect(judge('outside_band', 0.65)).toMatchObject({ breached: true });
    expect(judge('outside_band', 0.8)).toMatchObject({ breached: false });
    // No band on the point (the reference had too few chunks): not evaluated rather than guessed.
    expect(judge('<', 0.1, { lower: 0.6 })).toEqual({ evaluable: false, reason: 'no_reference_band', observed: 0.1 });
    expect(judge('outside_band', 0.1, { thresholdLower: 0.7, thresholdUpper: null })).toMatchObject({ evaluable: false });
  });

  it('fire on the window whose estimate falls below the band, without any label coverage', () => {
    const rule = makeRule(belowBand as never);
    const estimated = (i: number, value: number) => point(i, value, { metric: 'estimated_f1', column: '', details: band });
    const ok = evaluateRule(rule, [estimated(0, 0.8)], EMPTY, readyAt(0));
    expect(ok.transitions).toEqual([]);
    const low = evaluateRule(rule, [estimated(0, 0.8), estimated(1, 0.6)], ok.instances, readyAt(1));
    expect(low.transitions).toMatchObject([{ from: 'ok', to: 'firing', value: 0.6 }]);
  });
});

describe('reconstruction_error with the drift verdict', () => {
  it('fires on details.drifted', () => {
    const rule = makeRule({ name: 'multivariate drift', metric: 'reconstruction_error', column: { kind: 'any' }, condition: { threshold: { kind: 'drift_verdict' } } });
    const p = (i: number, value: number, drifted: boolean) => point(i, value, { metric: 'reconstruction_error', column: '', details: { lower: 1, upper: 1.4, drifted } });
    const first = evaluateRule(rule, [p(0, 1.2, false)], EMPTY, readyAt(0));
    const second = evaluateRule(rule, [p(0, 1.2, false), p(1, 1.9, true)], first.instances, readyAt(1));
    expect(second.transitions).toMatchObject([{ to: 'firing', value: 1.9 }]);
  });
});
