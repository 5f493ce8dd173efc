import { AlertConditionSchema } from '@vigil/contracts';
import { describe, expect, it } from 'vitest';
import { evaluateThreshold, historyDepth } from './threshold.js';

const condition = (input: unknown) => AlertConditionSchema.parse(input);
const judge = (
  c: unknown,
  value: number,
  history: number[] = [],
  metric = 'missing_share',
  details?: unknown,
) => evaluateThreshold(condition(c), { metric, value, history, details });

describe('fixed thresholds', () => {
  const above = { op: '>', threshold: { kind: 'fixed', warning: 0.1, critical: 0.3 } };

  it('breaches at warning above the warning threshold and at critical above the critical one', () => {
    expect(judge(above, 0.05)).toEqual({
      evaluable: true,
      breached: false,
      severity: null,
      threshold: 0.1,
      observed: 0.05,
    });
    expect(judge(above, 0.2)).toMatchObject({
      breached: true,
      severity: 'warning',
      threshold: 0.1,
    });
    expect(judge(above, 0.5)).toMatchObject({
      breached: true,
      severity: 'critical',
      threshold: 0.3,
    });
  });

  it('is strict for > and inclusive for >=', () => {
    expect(judge(above, 0.1)).toMatchObject({ breached: false });
    expect(judge({ ...above, op: '>=' }, 0.1)).toMatchObject({
      breached: true,
      severity: 'warning',
    });
  });

  it('compares downwards for < and <=', () => {
    const below = { op: '<', threshold: { kind: 'fixed', warning: 0.8, critical: 0.6 } };
    expect(judge(below, 0.9)).toMatchObject({ breached: false });
    expect(judge(below, 0.7)).toMatchObject({ breached: true, severity: 'warning' });
    expect(judge(below, 0.5)).toMatchObject({ breached: true, severity: 'critical' });
    expect(judge(below, 0.8)).toMatchObject({ breached: false });
    expect(judge({ ...below, op: '<=' }, 0.8)).toMatchObject({
      breached: true,
      severity: 'warning',
    });
  });

  it('works with only a critical threshold', () => {
    const c = { op: '>', threshold: { kind: 'fixed', critical: 5 } };
    expect(judge(c, 6)).toMatchObject({ breached: true, severity: 'critical' });
    expect(judge(c, 4)).toMatchObject({ breached: false, threshold: 5 });
  });
});

describe('outside_band thresholds', () => {
  const band = {
    op: 'outside_band',
    threshold: { kind: 'band', warning: { low: 10, high: 20 }, critical: { low: 5, high: 30 } },
  };

  it('accepts values inside the band, its edges included', () => {
    for (const v of [10, 15, 20]) expect(judge(band, v)).toMatchObject({ breached: false });
  });

  it('breaches on either side, critical outside the critical band', () => {
    expect(judge(band, 9)).toMatchObject({
      breached: true,
      severity: 'warning',
      threshold: { low: 10, high: 20 },
    });
    expect(judge(band, 25)).toMatchObject({ breached: true, severity: 'warning' });
    expect(judge(band, 4)).toMatchObject({
      breached: true,
      severity: 'critical',
      threshold: { low: 5, high: 30 },
    });
    expect(judge(band, 31)).toMatchObject({ breached: true, severity: 'critical' });
  });
});

describe('stddev thresholds', () => {
  // history mean 10; sample variance (0 + 4 + 4 + 0 + 0) / 4 = 2, σ = √2
  const history = [10, 12, 8, 10, 10];
  const sigma = Math.SQRT2;
  const c = (op: string) => ({
    op,
    threshold: { kind: 'stddev', k: { warning: 2, critical: 3 }, window: 5, minPoints: 3 },
  });

  it('breaches when the value exceeds the trailing mean by more than k·σ', () => {
    expect(judge(c('>'), 12.5, history)).toMatchObject({ breached: false });
    const warning = judge(c('>'), 13, history);
    expect(warning).toMatchObject({ breached: true, severity: 'warning' });
    if (warning.evaluable) expect(warning.threshold).toBeCloseTo(10 + 2 * sigma, 12);
    expect(judge(c('>'), 15, history)).toMatchObject({ breached: true, severity: 'critical' });
  });

  it('only looks in the direction of op', () => {
    expect(judge(c('>'), 5, history)).toMatchObject({ breached: false });
    expect(judge(c('<'), 7, history)).toMatchObject({ breached: true, severity: 'warning' });
    expect(judge(c('<'), 13, history)).toMatchObject({ breached: false });
    expect(judge(c('outside_band'), 7, history)).toMatchObject({
      breached: true,
      severity: 'warning',
    });
    expect(judge(c('outside_band'), 13, history)).toMatchObject({
      breached: true,
      severity: 'warning',
    });
  });

  it('reports the band mean ± k·σ for outside_band', () => {
    const r = judge(c('outside_band'), 16, history);
    expect(r).toMatchObject({ breached: true, severity: 'critical' });
    if (r.evaluable && r.threshold !== null && typeof r.threshold === 'object') {
      expect(r.threshold.low).toBeCloseTo(10 - 3 * sigma, 12);
      expect(r.threshold.high).toBeCloseTo(10 + 3 * sigma, 12);
    } else {
      expect.fail('expected a band');
    }
  });

  it('uses only the trailing window of points', () => {
    // The 1000 falls outside the 5-point window; with it the mean would be far higher.
    expect(judge(c('>'), 13, [1000, ...history])).toMatchObject({
      breached: true,
      severity: 'warning',
    });
  });

  it('is not evaluable with fewer than minPoints preceding points', () => {
    expect(judge(c('>'), 100, [10, 12])).toEqual({
      evaluable: false,
      reason: 'insufficient_history',
      observed: 100,
    });
  });

  it('treats any move off a flat history as a breach, and no move as none even for >=', () => {
    expect(judge(c('>'), 0.01, [0, 0, 0, 0])).toMatchObject({
      breached: true,
      severity: 'critical',
    });
    expect(judge(c('>='), 0, [0, 0, 0, 0])).toMatchObject({ breached: false });
  });
});

describe('percent change thresholds', () => {
  const c = (op: string, baseline: unknown, window?: number) => ({
    op,
    threshold: {
      kind: 'percent_change',
      baseline,
      warning: 20,
      critical: 50,
      ...(window ? { window } : {}),
    },
  });

  it('compares with the previous point', () => {
    expect(judge(c('>', 'previous'), 110, [100])).toMatchObject({ breached: false, observed: 10 });
    expect(judge(c('>', 'previous'), 130, [100])).toMatchObject({
      breached: true,
      severity: 'warning',
      observed: 30,
    });
    expect(judge(c('>', 'previous'), 160, [100])).toMatchObject({
      breached: true,
      severity: 'critical',
      threshold: 50,
    });
  });

  it('reads thresholds as magnitudes of a fall for < and of either move for outside_band', () => {
    expect(judge(c('<', 'previous'), 70, [100])).toMatchObject({
      breached: true,
      severity: 'warning',
      observed: -30,
      threshold: -20,
    });
    expect(judge(c('<', 'previous'), 130, [100])).toMatchObject({ breached: false });
    expect(judge(c('outside_band', 'previous'), 40, [100])).toMatchObject({
      breached: true,
      severity: 'critical',
    });
    expect(judge(c('outside_band', 'previous'), 125, [100])).toMatchObject({
      breached: true,
      severity: 'warning',
    });
  });

  it('compares with the point n windows ago', () => {
    expect(judge(c('>', { pointsAgo: 2 }), 160, [100, 200])).toMatchObject({
      breached: true,
      severity: 'critical',
      observed: 60,
    });
    // exactly +50 % is not more than the 50 % critical threshold
    expect(judge(c('>', { pointsAgo: 2 }), 150, [100, 200])).toMatchObject({
      severity: 'warning',
      observed: 50,
    });
  });

  it('compares with the trailing mean of the window', () => {
    // mean of the last 3 = 100; the 40 is outside the window
    expect(judge(c('>', 'trailing_mean', 3), 125, [40, 100, 90, 110])).toMatchObject({
      breached: true,
      severity: 'warning',
      observed: 25,
    });
  });

  it('divides by the baseline magnitude so a negative baseline rising still reads as a rise', () => {
    expect(judge(c('>', 'previous'), -4, [-10])).toMatchObject({
      observed: 60,
      severity: 'critical',
    });
  });

  it('treats growth from zero as infinite and no change from zero as none', () => {
    expect(judge(c('>', 'previous'), 5, [0])).toMatchObject({
      breached: true,
      severity: 'critical',
      observed: Infinity,
    });
    expect(judge(c('>', 'previous'), 0, [0])).toMatchObject({ breached: false, observed: 0 });
  });

  it('is not evaluable without the baseline point', () => {
    expect(judge(c('>', { pointsAgo: 3 }), 5, [1, 2])).toMatchObject({
      evaluable: false,
      reason: 'insufficient_history',
    });
  });
});

describe('drift verdict thresholds', () => {
  const verdict = { threshold: { kind: 'drift_verdict' } };

  it('breaches at critical when drift_detected is 1', () => {
    expect(judge(verdict, 1, [], 'drift_detected')).toMatchObject({
      breached: true,
      severity: 'critical',
    });
    expect(judge(verdict, 0, [], 'drift_detected')).toMatchObject({
      breached: false,
      severity: null,
    });
  });

  it('follows details.drifted when the point has it', () => {
    expect(judge(verdict, 0, [], 'drift_detected', { drifted: true })).toMatchObject({
      breached: true,
    });
  });

  it('judges a drift score against the test threshold in its details', () => {
    const pValue = { test: 'ks', threshold: 0.05, scoreKind: 'p_value' };
    expect(judge(verdict, 0.01, [], 'drift_score', pValue)).toMatchObject({
      breached: true,
      threshold: 0.05,
    });
    expect(judge(verdict, 0.2, [], 'drift_score', pValue)).toMatchObject({ breached: false });
    const distance = { test: 'wasserstein', threshold: 0.1, scoreKind: 'distance' };
    expect(judge(verdict, 0.1, [], 'drift_score', distance)).toMatchObject({ breached: true });
    expect(judge(verdict, 0.05, [], 'drift_score', distance)).toMatchObject({ breached: false });
  });

  it('is not evaluable for a drift score without a test threshold', () => {
    expect(judge(verdict, 0.2, [], 'drift_score')).toEqual({
      evaluable: false,
      reason: 'no_verdict',
      observed: 0.2,
    });
  });
});

describe('history depth', () => {
  it('is what each threshold kind reads back', () => {
    expect(historyDepth(condition({ op: '>', threshold: { kind: 'fixed', warning: 1 } }))).toBe(0);
    expect(
      historyDepth(condition({ op: '>', threshold: { kind: 'stddev', k: { warning: 2 } } })),
    ).toBe(24);
    expect(
      historyDepth(
        condition({
          op: '>',
          threshold: { kind: 'percent_change', baseline: 'previous', warning: 1 },
        }),
      ),
    ).toBe(1);
    expect(
      historyDepth(
        condition({
          op: '>',
          threshold: { kind: 'percent_change', baseline: { pointsAgo: 7 }, warning: 1 },
        }),
      ),
    ).toBe(7);
    expect(
      historyDepth(
        condition({
          op: '>',
          threshold: { kind: 'percent_change', baseline: 'trailing_mean', window: 12, warning: 1 },
        }),
      ),
    ).toBe(12);
  });
});
