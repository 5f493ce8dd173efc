import { describe, expect, it } from 'vitest';
import { modelHealth, PERFORMANCE_DROP, QUALITY_SHARE, STALE_AFTER_MS, type HealthInput } from './health.js';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const healthy: HealthInput = {
  now: NOW,
  lastEventAt: NOW - 60_000,
  drift: { driftedColumns: [], columns: 4, datasetDrift: false },
  performance: { metric: 'f1', value: 0.8, baseline: 0.8, higherIsBetter: true },
  quality: { metric: 'missing_share', column: 'amount', value: 0 },
  alerts: { firing: 0, pending: 0, critical: 0 },
};

describe('modelHealth', () => {
  it('is ok with no reason when nothing is wrong', () => {
    expect(modelHealth(healthy)).toEqual({ level: 'ok', reasons: [] });
  });

  it('has no data before the first prediction and after a day of silence, and names how long', () => {
    expect(modelHealth({ ...healthy, lastEventAt: null })).toEqual({ level: 'nodata', reasons: [{ kind: 'volume', level: 'nodata', text: 'no predictions yet' }] });
    expect(modelHealth({ ...healthy, lastEventAt: NOW - STALE_AFTER_MS + 1 }).level).toBe('ok');
    expect(modelHealth({ ...healthy, lastEventAt: NOW - 3 * 86_400_000 }).reasons[0]?.text).toBe('no predictions for 3 days');
  });

  it('warns on drifted features, is critical on dataset drift, and names at most three columns', () => {
    const some = modelHealth({ ...healthy, drift: { driftedColumns: ['amount'], columns: 4, datasetDrift: false } });
    expect(some.level).toBe('warning');
    expect(some.reasons[0]?.text).toBe('1 of 4 features drifted (amount)');
    const all = modelHealth({ ...healthy, drift: { driftedColumns: ['a', 'b', 'c', 'd', 'e'], columns: 6, datasetDrift: true } });
    expect(all.level).toBe('critical');
    expect(all.reasons[0]?.text).toBe('dataset drift: 5 of 6 features drifted (a, b, c and 2 more)');
  });

  it('grades a performance loss against its baseline in the metric’s own direction', () => {
    const drop = (value: number, higherIsBetter = true, baseline = 0.8) => modelHealth({ ...healthy, performance: { metric: higherIsBetter ? 'f1' : 'rmse', value, baseline, higherIsBetter } });
    expect(drop(0.8 * (1 - PERFORMANCE_DROP.warning) + 1e-6).level).toBe('ok');
    expect(drop(0.8 * (1 - PERFORMANCE_DROP.warning) - 1e-6).level).toBe('warning');
    expect(drop(0.8 * (1 - PERFORMANCE_DROP.critical) - 1e-6).level).toBe('critical');
    expect(drop(0.9).level).toBe('ok');
    // Lower is better: RMSE going up is the loss.
    expect(drop(12, false, 10).reasons[0]).toMatchObject({ level: 'critical', text: 'rmse 12.0, up 20 % on the days before (10.0)' });
    expect(drop(8, false, 10).level).toBe('ok');
    // No baseline yet: nothing to compare with.
    expect(modelHealth({ ...healthy, performance: { metric: 'f1', value: 0.1, baseline: null, higherIsBetter: true } }).level).toBe('ok');
  });

  it('grades the worst quality share and puts the worst reason first', () => {
    const q = (value: number) => modelHealth({ ...healthy, quality: { metric: 'missing_share', column: 'amount', value } });
    expect(q(QUALITY_SHARE.warning - 0.001).level).toBe('ok');
    expect(q(QUALITY_SHARE.warning).reasons[0]?.text).toBe('5.0 % of amount missing');
    expect(q(QUALITY_SHARE.critical).level).toBe('critical');
    const mixed = modelHealth({
      ...healthy,
      drift: { driftedColumns: ['amount'], columns: 4, datasetDrift: false },
      alerts: { firing: 2, pending: 0, critical: 1 },
    });
    expect(mixed.level).toBe('critical');
    expect(mixed.reasons.map((r) => [r.kind, r.level])).toEqual([
      ['alerts', 'critical'],
      ['drift', 'warning'],
    ]);
    expect(mixed.reasons[0]?.text).toBe('2 alerts firing');
  });
});
