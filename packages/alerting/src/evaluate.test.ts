import { describe, expect, it } from 'vitest';
import { evaluateRule, type RuleEvaluation } from './evaluate.js';
import { alertFingerprint } from './fingerprint.js';
import type { AlertRule } from './rule.js';
import type { MetricPoint } from './series.js';
import type { AlertInstanceState } from './state-machine.js';
import { HOUR, LABELS, MINUTE, T0, makeRule, point, points, readyAt } from './test/fixtures.js';

const EMPTY: ReadonlyMap<string, AlertInstanceState> = new Map();
const FP = alertFingerprint('rule-1', LABELS);
const moves = (r: RuleEvaluation) => r.transitions.map((t) => `${t.from}→${t.to}`);

/** Evaluates window by window, as the worker does after each window closes. */
function live(
  rule: AlertRule,
  values: readonly number[],
  extra: (i: number) => MetricPoint[] = () => [],
) {
  let states: ReadonlyMap<string, AlertInstanceState> = EMPTY;
  const all: MetricPoint[] = [];
  const runs: RuleEvaluation[] = [];
  values.forEach((v, i) => {
    all.push(point(i, v), ...extra(i));
    const r = evaluateRule(rule, all, states, readyAt(i));
    states = r.instances;
    runs.push(r);
  });
  return { states, runs, all };
}

describe('fan-out into instances', () => {
  it('creates one instance per column of a list selector and ignores other columns', () => {
    const rule = makeRule({ column: { kind: 'list', names: ['age', 'income'] } });
    const r = evaluateRule(
      rule,
      [point(0, 0.5), point(0, 0.5, { column: 'income' }), point(0, 0.5, { column: 'city' })],
      EMPTY,
      readyAt(0),
    );
    expect([...r.instances.values()].map((s) => s.labels.column).sort()).toEqual(['age', 'income']);
    expect(r.transitions).toHaveLength(2);
  });

  it('takes every column with the any selector, and separate instances per model version', () => {
    const rule = makeRule({ column: { kind: 'any' } });
    const r = evaluateRule(
      rule,
      [point(0, 0.5), point(0, 0.5, { column: 'income' }), point(0, 0.5, { modelVersionId: null })],
      EMPTY,
      readyAt(0),
    );
    expect(r.instances.size).toBe(3);
    expect([...r.instances.values()].some((s) => s.labels.version === '')).toBe(true);
  });

  it('evaluates only the unsegmented series without a segment filter', () => {
    const r = evaluateRule(
      makeRule(),
      [point(0, 0.5), point(0, 0.5, { segment: 'country=DE' })],
      EMPTY,
      readyAt(0),
    );
    expect([...r.instances.values()].map((s) => s.labels.segment)).toEqual(['']);
  });

  it('evaluates the chosen tag values with a segment filter', () => {
    const rule = makeRule({ segment: { tag: 'country', values: ['DE', 'FR'] } });
    const pts = ['', 'country=DE', 'country=FR', 'country=US', 'device=DE'].map((segment) =>
      point(0, 0.5, { segment }),
    );
    const r = evaluateRule(rule, pts, EMPTY, readyAt(0));
    expect([...r.instances.values()].map((s) => s.labels.segment).sort()).toEqual([
      'country=DE',
      'country=FR',
    ]);
    const anyCountry = evaluateRule(
      makeRule({ segment: { tag: 'country' } }),
      pts,
      EMPTY,
      readyAt(0),
    );
    expect(anyCountry.instances.size).toBe(3);
  });

  it('keeps to the scope of models and projects', () => {
    const byModel = makeRule({ scope: { modelIds: ['m2'] } });
    expect(
      evaluateRule(byModel, [point(0, 0.5), point(0, 0.5, { modelId: 'm2' })], EMPTY, readyAt(0))
        .instances.size,
    ).toBe(1);
    const byProject = makeRule({ scope: { projectIds: ['p1'] } });
    const pts = [
      point(0, 0.5, { projectId: 'p1' }),
      point(0, 0.5, { modelId: 'm2', projectId: 'p2' }),
      point(0, 0.5, { modelId: 'm3' }),
    ];
    expect(
      [...evaluateRule(byProject, pts, EMPTY, readyAt(0)).instances.values()].map(
        (s) => s.labels.model,
      ),
    ).toEqual(['m1']);
  });

  it('ignores other metrics, other granularities, unready windows and non-finite values', () => {
    const pts = [
      point(0, 0.5, { metric: 'mean' }),
      point(0, 0.5, { granularity: 'day' }),
      point(0, 0.5, { ready: false }),
      point(0, Number.NaN),
    ];
    expect(evaluateRule(makeRule(), pts, EMPTY, readyAt(0)).instances.size).toBe(0);
  });
});

describe('evaluation order and idempotence', () => {
  it('evaluates each new ready window once, oldest first, whatever the input order', () => {
    const rule = makeRule({ for: 1 });
    const r = evaluateRule(rule, [point(2, 0.01), point(0, 0.5), point(1, 0.5)], EMPTY, readyAt(2));
    expect(moves(r)).toEqual(['ok→pending', 'pending→firing', 'firing→resolved']);
    expect(r.transitions.map((t) => t.windowStart)).toEqual([T0, T0 + HOUR, T0 + 2 * HOUR]);
    expect(r.instances.get(FP)?.lastEvaluatedWindow).toBe(T0 + 2 * HOUR);
  });

  it('changes nothing when run again with the same points', () => {
    const rule = makeRule({ for: 1 });
    const pts = points([0.5, 0.5, 0.6]);
    const first = evaluateRule(rule, pts, EMPTY, readyAt(2));
    const second = evaluateRule(rule, pts, first.instances, readyAt(2) + MINUTE);
    expect(second.transitions).toEqual([]);
    expect(second.instances).toEqual(first.instances);
  });

  it('does not count a window again when only older windows are given', () => {
    const rule = makeRule({ for: 2 });
    const { states } = live(rule, [0.5, 0.5]);
    const r = evaluateRule(rule, [point(0, 0.5), point(1, 0.5)], states, readyAt(1) + MINUTE);
    expect(r.instances.get(FP)).toMatchObject({ state: 'pending', consecutive: 2 });
  });

  it('waits for a window to be ready', () => {
    const rule = makeRule();
    const r = evaluateRule(rule, [point(0, 0.5, { ready: false })], EMPTY, readyAt(0));
    expect(r.transitions).toEqual([]);
    const ready = evaluateRule(rule, [point(0, 0.5)], r.instances, readyAt(0) + MINUTE);
    expect(moves(ready)).toEqual(['ok→firing']);
  });

  it('does nothing for a disabled rule', () => {
    const r = evaluateRule(makeRule({ enabled: false }), [point(0, 0.5)], EMPTY, readyAt(0));
    expect(r.instances.size).toBe(0);
    expect(r.transitions).toEqual([]);
  });
});

describe('late data', () => {
  it('re-evaluates a recomputed last window and reports only a real state change', () => {
    const rule = makeRule();
    const { states } = live(rule, [0.05, 0.5]);
    expect(states.get(FP)?.state).toBe('firing');

    const sameOutcome = evaluateRule(
      rule,
      [point(0, 0.05), point(1, 0.6)],
      states,
      readyAt(1) + 10 * MINUTE,
    );
    expect(sameOutcome.transitions).toEqual([]);
    expect(sameOutcome.instances.get(FP)).toMatchObject({
      state: 'firing',
      value: 0.6,
      consecutive: 1,
    });

    const clean = evaluateRule(
      rule,
      [point(0, 0.05), point(1, 0.02)],
      sameOutcome.instances,
      readyAt(1) + 20 * MINUTE,
    );
    expect(moves(clean)).toEqual(['firing→resolved']);
  });

  it('escalates when the recomputed window crosses the critical threshold', () => {
    const rule = makeRule();
    const { states } = live(rule, [0.2]);
    const r = evaluateRule(rule, [point(0, 0.4)], states, readyAt(0) + MINUTE);
    expect(r.transitions).toMatchObject([
      { from: 'firing', to: 'firing', severity: 'critical', value: 0.4 },
    ]);
  });

  it('does not re-judge a recomputed window older than the last evaluated one', () => {
    const rule = makeRule();
    const { states } = live(rule, [0.05, 0.05, 0.05]);
    const r = evaluateRule(
      rule,
      [point(0, 0.9), point(1, 0.05), point(2, 0.05)],
      states,
      readyAt(2) + MINUTE,
    );
    expect(r.transitions).toEqual([]);
    expect(r.instances.get(FP)?.state).toBe('ok');
  });

  it('uses a recomputed older window as history for the windows after it', () => {
    const rule = makeRule({
      condition: {
        op: '>',
        threshold: { kind: 'percent_change', baseline: { pointsAgo: 2 }, warning: 50 },
      },
    });
    const { states } = live(rule, [1, 1, 1]);
    // Window 1 is recomputed to 0.5; window 3 (1.2) is compared with it: +140 %.
    const r = evaluateRule(
      rule,
      [point(0, 1), point(1, 0.5), point(2, 1), point(3, 1.2)],
      states,
      readyAt(3),
    );
    expect(r.transitions).toMatchObject([
      { from: 'ok', to: 'firing', windowStart: T0 + 3 * HOUR, observed: 140 },
    ]);
  });

  it('re-judges the last window when late data changes the baseline it was compared with', () => {
    const rule = makeRule({
      condition: {
        op: '>',
        threshold: { kind: 'percent_change', baseline: 'previous', warning: 50 },
      },
    });
    const { states } = live(rule, [1, 1, 1]);
    const r = evaluateRule(rule, [point(1, 0.5), point(2, 1)], states, readyAt(2) + MINUTE);
    expect(r.transitions).toMatchObject([
      { from: 'ok', to: 'firing', windowStart: T0 + 2 * HOUR, observed: 100 },
    ]);
  });
});

describe('no-data detection', () => {
  it('applies the policy once the newest ready window ended more than noDataAfter ago', () => {
    const rule = makeRule({ noData: 'nodata', noDataAfter: 3 * 3600 });
    const { states } = live(rule, [0.5]);
    const windowEnd = T0 + HOUR;
    expect(evaluateRule(rule, [], states, windowEnd + 3 * HOUR).transitions).toEqual([]);
    const r = evaluateRule(rule, [], states, windowEnd + 3 * HOUR + 1);
    expect(r.transitions).toMatchObject([
      { from: 'firing', to: 'nodata', fingerprint: FP, labels: LABELS },
    ]);
  });

  it('defaults noDataAfter to two windows', () => {
    const rule = makeRule({ noData: 'nodata' });
    const { states } = live(rule, [0.5]);
    expect(evaluateRule(rule, [], states, T0 + 3 * HOUR).transitions).toEqual([]);
    expect(evaluateRule(rule, [], states, T0 + 3 * HOUR + 1).transitions).toHaveLength(1);
  });

  it('treats unready windows as no data', () => {
    const rule = makeRule({ noData: 'ok' });
    const { states } = live(rule, [0.5]);
    const r = evaluateRule(
      rule,
      [point(1, 0.5, { ready: false }), point(2, 0.5, { ready: false })],
      states,
      T0 + 4 * HOUR,
    );
    expect(moves(r)).toEqual(['firing→resolved']);
  });

  it('does not repeat the policy on later runs in the same gap', () => {
    const rule = makeRule({ noData: 'alerting' });
    const { states } = live(rule, [0.05]);
    const r1 = evaluateRule(rule, [], states, T0 + 5 * HOUR);
    expect(moves(r1)).toEqual(['ok→firing']);
    expect(evaluateRule(rule, [], r1.instances, T0 + 6 * HOUR).transitions).toEqual([]);
  });

  it('leaves instances the rule no longer selects alone', () => {
    const { states } = live(makeRule({ noData: 'nodata' }), [0.5]);
    const narrowed = makeRule({ noData: 'nodata', column: { kind: 'one', name: 'income' } });
    expect(evaluateRule(narrowed, [], states, T0 + 10 * HOUR).transitions).toEqual([]);
  });
});

describe('minimum label coverage', () => {
  const rule = makeRule({
    metric: 'accuracy',
    column: { kind: 'any' },
    condition: { op: '<', threshold: { kind: 'fixed', warning: 0.8 } },
    minLabelCoverage: 0.5,
    noData: 'nodata',
  });
  const accuracy = (i: number, value: number) =>
    point(i, value, { metric: 'accuracy', column: '' });
  const coverage = (i: number, value: number) =>
    point(i, value, { metric: 'label_coverage', column: '' });

  it('skips a window whose label coverage is below the minimum', () => {
    const r = evaluateRule(rule, [accuracy(0, 0.5), coverage(0, 0.2)], EMPTY, readyAt(0));
    expect(r.transitions).toEqual([]);
    expect(
      evaluateRule(rule, [accuracy(0, 0.5), coverage(0, 0.6)], EMPTY, readyAt(0)).transitions,
    ).toHaveLength(1);
  });

  it('skips a window whose label coverage is unknown', () => {
    expect(evaluateRule(rule, [accuracy(0, 0.5)], EMPTY, readyAt(0)).transitions).toEqual([]);
  });

  it('evaluates the window when late labels raise its coverage', () => {
    const first = evaluateRule(rule, [accuracy(0, 0.5), coverage(0, 0.2)], EMPTY, readyAt(0));
    const later = evaluateRule(
      rule,
      [accuracy(0, 0.6), coverage(0, 0.9)],
      first.instances,
      readyAt(0) + 30 * MINUTE,
    );
    expect(later.transitions).toMatchObject([{ from: 'ok', to: 'firing', value: 0.6 }]);
  });

  it('reaches no-data when coverage stays low for longer than noDataAfter', () => {
    let states: ReadonlyMap<string, AlertInstanceState> = EMPTY;
    const all: MetricPoint[] = [];
    const seen: string[] = [];
    for (let i = 0; i < 5; i++) {
      all.push(accuracy(i, i === 0 ? 0.5 : 0.4), coverage(i, i === 0 ? 0.9 : 0.1));
      const r = evaluateRule(rule, all, states, readyAt(i));
      states = r.instances;
      seen.push(...moves(r));
    }
    expect(seen).toEqual(['ok→firing', 'firing→nodata']);
  });
});

describe('history-based thresholds', () => {
  it('judges each window against the windows before it', () => {
    const rule = makeRule({
      condition: {
        op: '>',
        threshold: { kind: 'stddev', k: { warning: 3 }, window: 4, minPoints: 4 },
      },
    });
    const { runs } = live(rule, [0.1, 0.12, 0.08, 0.1, 0.11, 0.4]);
    // The first four windows lack history (skipped), the fifth is within 3σ, the sixth is far out.
    expect(runs.map((r) => r.transitions.length)).toEqual([0, 0, 0, 0, 0, 1]);
    expect(runs[5]?.transitions[0]).toMatchObject({
      to: 'firing',
      severity: 'warning',
      value: 0.4,
    });
  });
});
