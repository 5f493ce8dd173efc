import { AlertRuleDefinitionSchema, type AlertRuleDefinitionInput } from '@vigil/contracts';
import { describe, expect, it } from 'vitest';
import { conditionSummary, emptyRuleForm, fieldOfPath, fromDefinition, ruleFieldErrors, toDefinition, type RuleForm } from './rule-form';

const form = (patch: Partial<RuleForm>): RuleForm => ({ ...emptyRuleForm('team-1'), name: 'Rule', ...patch });
const parsed = (input: AlertRuleDefinitionInput) => AlertRuleDefinitionSchema.parse(input);

describe('the rule editor form', () => {
  it('turns a fixed threshold on one column into a valid definition', () => {
    const d = toDefinition(form({ columnKind: 'one', columns: ' amount ', op: '>=', warning: '0.1', critical: '0.3', for: '2', keepFiringForMinutes: '90', repeatIntervalMinutes: '60', channels: ['ch1'] }));
    expect(d).toMatchObject({
      column: { kind: 'one', name: 'amount' },
      condition: { op: '>=', threshold: { kind: 'fixed', warning: 0.1, critical: 0.3 } },
      for: 2,
      keepFiringFor: 5400,
      repeatIntervalSeconds: 3600,
      channels: ['ch1'],
    });
    expect(AlertRuleDefinitionSchema.safeParse(d).success).toBe(true);
  });

  it('sends a band with op outside_band and a drift verdict without op', () => {
    const band = toDefinition(form({ thresholdKind: 'band', op: '>', criticalLow: '0', criticalHigh: '1' }));
    expect(band.condition).toEqual({ op: 'outside_band', threshold: { kind: 'band', critical: { low: 0, high: 1 } } });
    const drift = toDefinition(form({ metric: 'drift_detected', thresholdKind: 'drift_verdict', warning: '3' }));
    expect(drift.condition).toEqual({ threshold: { kind: 'drift_verdict' } });
    expect(AlertRuleDefinitionSchema.safeParse(drift).success).toBe(true);
    // "Estimated F1 below its lower band", as the editor sends it.
    const below = toDefinition(form({ metric: 'estimated_f1', thresholdKind: 'reference_band', op: '<' }));
    expect(below.condition).toEqual({ op: '<', threshold: { kind: 'reference_band', severity: 'critical' } });
    expect(AlertRuleDefinitionSchema.safeParse(below).success).toBe(true);
  });

  it('leaves blank numbers out so the server names the missing threshold', () => {
    const d = toDefinition(form({ warning: ' ', critical: '' }));
    expect(d.condition.threshold).toEqual({ kind: 'fixed' });
    const issues = AlertRuleDefinitionSchema.safeParse(d).error!.issues.map((i) => i.path.join('.'));
    expect(issues).toEqual(['condition.threshold']);
  });

  it('ignores a column and label coverage where the metric has none', () => {
    const d = toDefinition(form({ metric: 'prediction_count', columnKind: 'one', columns: 'amount', minLabelCoverage: '0.5', op: '<', critical: '10' }));
    expect(d.column).toEqual({ kind: 'any' });
    expect(d).not.toHaveProperty('minLabelCoverage');
    expect(toDefinition(form({ metric: 'accuracy', op: '<', critical: '0.8', minLabelCoverage: '0.5' }))).toMatchObject({ minLabelCoverage: 0.5 });
  });

  it('round-trips stored rules of every threshold kind, keeping what the editor does not show', () => {
    const rules: AlertRuleDefinitionInput[] = [
      { name: 'a', metric: 'mean', column: { kind: 'list', names: ['x', 'y'] }, segment: { tag: 'country', values: ['DE', 'FR'] }, granularity: 'day', condition: { op: '<=', threshold: { kind: 'fixed', critical: 2 } }, noDataAfter: 172_800, scope: { projectIds: ['p1'] } },
      { name: 'b', metric: 'mean', granularity: 'hour', condition: { op: 'outside_band', threshold: { kind: 'band', warning: { low: 1, high: 2 }, critical: { low: 0, high: 3 } } } },
      { name: 'c', metric: 'p95', granularity: 'hour', condition: { op: 'outside_band', threshold: { kind: 'stddev', k: { warning: 2, critical: 3 }, window: 48, minPoints: 10 } }, keepFiringFor: 7200 },
      { name: 'd', metric: 'prediction_count', granularity: 'rolling_1h', condition: { op: '<', threshold: { kind: 'percent_change', baseline: { pointsAgo: 1440 }, warning: 30, critical: 50 } }, repeatIntervalSeconds: 600, notifyOnResolve: false },
      { name: 'e', metric: 'prediction_count', granularity: 'hour', condition: { op: '>', threshold: { kind: 'percent_change', baseline: 'trailing_mean', window: 12, critical: 100 } } },
      { name: 'f', metric: 'accuracy', granularity: 'day', condition: { op: '<', threshold: { kind: 'fixed', warning: 0.9, critical: 0.8 } }, minLabelCoverage: 0.3, noData: 'keep', enabled: false, channels: ['c1'] },
      { name: 'g', metric: 'dataset_drift', granularity: 'day', condition: { threshold: { kind: 'drift_verdict' } }, for: 1 },
      { name: 'h', metric: 'estimated_f1', granularity: 'hour', condition: { op: '<', threshold: { kind: 'reference_band', severity: 'warning' } } },
    ];
    for (const input of rules) {
      const stored = parsed(input);
      expect(parsed(toDefinition(fromDefinition(stored, 't')))).toEqual(stored);
    }
  });

  it('summarises conditions in one line', () => {
    const summary = (input: AlertRuleDefinitionInput) => conditionSummary(parsed(input));
    const base = { name: 'x', metric: 'mean' as const, granularity: 'hour' as const };
    expect(summary({ ...base, condition: { op: '>', threshold: { kind: 'fixed', warning: 0.1, critical: 0.3 } } })).toBe('> warn 0.1 · crit 0.3');
    expect(summary({ ...base, condition: { op: 'outside_band', threshold: { kind: 'band', critical: { low: 0, high: 1 } } } })).toBe('outside crit [0, 1]');
    expect(summary({ ...base, condition: { op: 'outside_band', threshold: { kind: 'stddev', k: { critical: 3 } } } })).toBe('± crit 3σ over 24 points');
    expect(summary({ ...base, condition: { op: '<', threshold: { kind: 'percent_change', baseline: 'previous', critical: 20 } } })).toBe('falls by crit 20% vs previous window');
    expect(summary({ ...base, metric: 'drift_detected', condition: { threshold: { kind: 'drift_verdict' } } })).toBe('drift test verdict');
    expect(summary({ ...base, metric: 'estimated_f1', condition: { op: '<', threshold: { kind: 'reference_band' } } })).toBe('below the reference band (critical)');
  });

  it('puts each server error next to its field', () => {
    expect(fieldOfPath('channels.0')).toBe('channels');
    expect(fieldOfPath('definition.condition.op')).toBe('op');
    expect(fieldOfPath('condition.threshold.k.critical')).toBe('critical');
    expect(fieldOfPath('condition.threshold.warning.low')).toBe('warning');
    expect(fieldOfPath('condition.threshold')).toBe('threshold');
    expect(fieldOfPath('repeatIntervalSeconds')).toBe('repeatInterval');
    expect(fieldOfPath('days')).toBe('form');
    expect(ruleFieldErrors([
      { path: 'channels.0', message: 'no channel a in this team' },
      { path: 'channels.1', message: 'no channel b in this team' },
      { path: 'days', message: 'at most 7 days' },
    ])).toEqual({ channels: 'no channel a in this team; no channel b in this team', form: 'days: at most 7 days' });
  });
});
