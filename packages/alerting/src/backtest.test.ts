import { AlertState } from '@vigil/contracts';
import type { AlertRuleDefinitionInput, AlertSeverity } from '@vigil/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backtest, backtestClock, type FiringEpisode } from './backtest.js';
import { evaluateRule, type RuleTransition } from './evaluate.js';
import { alertFingerprint } from './fingerprint.js';
import type { MetricPoint } from './series.js';
import type { AlertInstanceState } from './state-machine.js';
import { HOUR, LABELS, T0, makeRule, point, points } from './test/fixtures.js';

const FP = alertFingerprint('rule-1', LABELS);

describe('backtest', () => {
  it('lists each firing episode with its peak severity', () => {
    // for = 1: pending on w1, firing at the end of w2, critical on w3, resolved on w4; again w5–w8.
    const history = points([0.05, 0.2, 0.2, 0.5, 0.05, 0.2, 0.2, 0.2, 0.05]);
    expect(backtest(makeRule({ for: 1 }), history, T0 + 9 * HOUR)).toEqual([
      {
        fingerprint: FP,
        labels: LABELS,
        firedAt: T0 + 3 * HOUR,
        resolvedAt: T0 + 5 * HOUR,
        peakSeverity: 'critical',
      },
      {
        fingerprint: FP,
        labels: LABELS,
        firedAt: T0 + 7 * HOUR,
        resolvedAt: T0 + 9 * HOUR,
        peakSeverity: 'warning',
      },
    ]);
  });

  it('leaves an episode open when it still fires at the end', () => {
    expect(backtest(makeRule(), points([0.05, 0.2]), T0 + 2 * HOUR)).toEqual([
      {
        fingerprint: FP,
        labels: LABELS,
        firedAt: T0 + 2 * HOUR,
        resolvedAt: null,
        peakSeverity: 'warning',
      },
    ]);
  });

  it('ends an episode when the data stops, at the tick that finds the gap', () => {
    // noDataAfter defaults to 2 h: the gap after w0 (ends T0+1h) is found at the tick T0+4h (> T0+3h).
    const episodes = backtest(makeRule({ noData: 'nodata' }), points([0.2]), T0 + 6 * HOUR);
    expect(episodes).toEqual([
      {
        fingerprint: FP,
        labels: LABELS,
        firedAt: T0 + HOUR,
        resolvedAt: T0 + 4 * HOUR,
        peakSeverity: 'warning',
      },
    ]);
  });

  it('replays a disabled draft rule as if it were enabled', () => {
    expect(backtest(makeRule({ enabled: false }), points([0.2]), T0 + HOUR)).toHaveLength(1);
  });

  it('ignores windows that end after now', () => {
    expect(backtest(makeRule(), points([0.05, 0.2]), T0 + HOUR)).toEqual([]);
  });

  it('evaluates at every window end, every window length from the first, and now', () => {
    const history = [point(0, 0.1), point(3, 0.1)];
    expect(backtestClock(makeRule(), history, T0 + 5 * HOUR + 1)).toEqual(
      [1, 2, 3, 4, 5].map((h) => T0 + h * HOUR).concat(T0 + 5 * HOUR + 1),
    );
  });
});

/** The straightforward replay: at each clock time, every point whose window has ended by then. */
function explicitReplay(
  input: AlertRuleDefinitionInput,
  history: MetricPoint[],
  now: number,
): FiringEpisode[] {
  const rule = makeRule({ ...input, enabled: true });
  const ends = history
    .filter((p) => p.ready && p.metric === rule.definition.metric)
    .map((p) => p.windowStart + HOUR)
    .filter((t) => t <= now);
  const clock = new Set<number>([...ends, now]);
  if (ends.length > 0) for (let t = Math.min(...ends); t <= now; t += HOUR) clock.add(t);
  let states: ReadonlyMap<string, AlertInstanceState> = new Map();
  const transitions: RuleTransition[] = [];
  for (const t of [...clock].sort((a, b) => a - b)) {
    const r = evaluateRule(
      rule,
      history.filter((p) => p.windowStart + HOUR <= t),
      states,
      t,
    );
    states = r.instances;
    transitions.push(...r.transitions);
  }
  const episodes: {
    fingerprint: string;
    labels: FiringEpisode['labels'];
    firedAt: number;
    resolvedAt: number | null;
    peakSeverity: AlertSeverity;
  }[] = [];
  for (const tr of transitions) {
    const open = episodes.find((e) => e.fingerprint === tr.fingerprint && e.resolvedAt === null);
    if (!open && tr.to === AlertState.firing) {
      episodes.push({
        fingerprint: tr.fingerprint,
        labels: tr.labels,
        firedAt: tr.at,
        resolvedAt: null,
        peakSeverity: tr.severity ?? 'critical',
      });
    } else if (open && tr.to === AlertState.firing && tr.severity === 'critical') {
      open.peakSeverity = 'critical';
    } else if (open && tr.to !== AlertState.firing) {
      open.resolvedAt = tr.at;
    }
  }
  return episodes.sort(
    (a, b) => a.firedAt - b.firedAt || a.fingerprint.localeCompare(b.fingerprint),
  );
}

const ruleInputs: AlertRuleDefinitionInput[] = [
  {
    name: 'fixed',
    metric: 'missing_share',
    column: { kind: 'any' },
    granularity: 'hour',
    condition: { op: '>', threshold: { kind: 'fixed', warning: 0.4, critical: 0.8 } },
  },
  {
    name: 'stddev',
    metric: 'missing_share',
    column: { kind: 'any' },
    granularity: 'hour',
    condition: {
      op: 'outside_band',
      threshold: { kind: 'stddev', k: { warning: 1, critical: 2 }, window: 4, minPoints: 3 },
    },
  },
  {
    name: 'pct',
    metric: 'missing_share',
    column: { kind: 'any' },
    granularity: 'hour',
    condition: {
      op: '>',
      threshold: { kind: 'percent_change', baseline: { pointsAgo: 2 }, warning: 30 },
    },
  },
  {
    name: 'perf',
    metric: 'accuracy',
    column: { kind: 'any' },
    granularity: 'hour',
    minLabelCoverage: 0.5,
    condition: {
      op: '<',
      threshold: { kind: 'stddev', k: { warning: 1 }, window: 3, minPoints: 2 },
    },
  },
];

describe('backtest equals an explicit replay of evaluateRule', () => {
  const window = fc.record({
    value: fc.double({ min: 0, max: 1, noNaN: true }),
    coverage: fc.double({ min: 0, max: 1, noNaN: true }),
    present: fc.integer({ min: 0, max: 9 }),
  });

  it('for any history, rule kind, for, keepFiringFor and no-data policy', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ruleInputs),
        fc.integer({ min: 0, max: 2 }),
        fc.constantFrom(0, 7200),
        fc.constantFrom('ok' as const, 'alerting' as const, 'nodata' as const, 'keep' as const),
        fc.array(window, { minLength: 1, maxLength: 30 }),
        fc.array(window, { minLength: 0, maxLength: 30 }),
        (base, forCount, keepFiringFor, noData, seriesA, seriesB) => {
          const input = { ...base, for: forCount, keepFiringFor, noData };
          const metric = base.metric;
          const column = metric === 'accuracy' ? '' : 'age';
          const history: MetricPoint[] = [];
          const add = (series: typeof seriesA, modelVersionId: string) =>
            series.forEach((w, i) => {
              // present 0–1: missing window, 2: not ready, else a point
              if (w.present < 2) return;
              history.push(
                point(i, w.value, { metric, column, modelVersionId, ready: w.present !== 2 }),
              );
              history.push(
                point(i, w.coverage, { metric: 'label_coverage', column: '', modelVersionId }),
              );
            });
          add(seriesA, 'v1');
          add(seriesB, 'v2');
          const now = T0 + 34 * HOUR;
          const expected = explicitReplay(input, history, now);
          expect(backtest(makeRule(input), history, now)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('including a long stddev history where the sliding batches matter', () => {
    const input: AlertRuleDefinitionInput = {
      ...ruleInputs[1]!,
      condition: {
        op: '>',
        threshold: { kind: 'stddev', k: { warning: 1.5 }, window: 24, minPoints: 12 },
      },
    };
    const values = Array.from(
      { length: 200 },
      (_, i) => 0.2 + 0.05 * Math.sin(i / 3) + (i % 37 === 0 ? 0.3 : 0),
    );
    const history = points(values);
    const episodes = backtest(makeRule(input), history, T0 + 200 * HOUR);
    expect(episodes.length).toBeGreaterThan(0);
    expect(episodes).toEqual(explicitReplay(input, history, T0 + 200 * HOUR));
  });
});
