import {
  AlertRuleDefinitionSchema,
  NotificationPolicySchema,
  SilenceMatcherSchema,
  SilenceMatchersSchema,
  formatIssues,
  noDataAfterSeconds,
} from '@vigil/contracts';
import { describe, expect, it } from 'vitest';

const base = {
  name: 'age missing',
  metric: 'missing_share',
  column: { kind: 'one', name: 'age' },
  granularity: 'hour',
  condition: { op: '>', threshold: { kind: 'fixed', warning: 0.1 } },
};

interface Parser {
  safeParse(
    input: unknown,
  ): { success: true } | { success: false; error: Parameters<typeof formatIssues>[0] };
}

/** The issues with dotted paths, as the API reports them. */
function paths(input: unknown, schema: Parser = AlertRuleDefinitionSchema) {
  const r = schema.safeParse(input);
  return r.success ? [] : formatIssues(r.error);
}

describe('alert rule definition schema', () => {
  it('fills the documented defaults', () => {
    expect(AlertRuleDefinitionSchema.parse({ ...base, column: undefined })).toMatchObject({
      scope: {},
      column: { kind: 'any' },
      for: 0,
      keepFiringFor: 0,
      noData: 'nodata',
      channels: [],
      notifyOnResolve: true,
      enabled: true,
    });
    const stddev = AlertRuleDefinitionSchema.parse({
      ...base,
      condition: { op: '>', threshold: { kind: 'stddev', k: { warning: 3 } } },
    });
    expect(stddev.condition.threshold).toEqual({
      kind: 'stddev',
      k: { warning: 3 },
      window: 24,
      minPoints: 5,
    });
  });

  it('defaults noDataAfter to two windows of the granularity and otherwise takes it as given', () => {
    expect(noDataAfterSeconds(AlertRuleDefinitionSchema.parse(base))).toBe(7200);
    expect(
      noDataAfterSeconds(AlertRuleDefinitionSchema.parse({ ...base, granularity: 'day' })),
    ).toBe(172_800);
    expect(
      noDataAfterSeconds(
        AlertRuleDefinitionSchema.parse({ ...base, noDataAfter: 5400, granularity: 'rolling_1h' }),
      ),
    ).toBe(5400);
  });

  it('names the threshold when neither warning nor critical is given', () => {
    expect(paths({ ...base, condition: { op: '>', threshold: { kind: 'fixed' } } })).toEqual([
      { path: 'condition.threshold', message: 'give a warning or a critical threshold (or both)' },
    ]);
    expect(
      paths({ ...base, condition: { op: '>', threshold: { kind: 'stddev', k: {} } } }),
    ).toContainEqual({
      path: 'condition.threshold.k',
      message: 'give k.warning or k.critical (or both)',
    });
  });

  it('pairs outside_band with band thresholds only', () => {
    expect(
      paths({
        ...base,
        condition: { op: '>', threshold: { kind: 'band', warning: { low: 1, high: 2 } } },
      }),
    ).toEqual([{ path: 'condition.op', message: 'band thresholds need op outside_band' }]);
    expect(
      paths({
        ...base,
        condition: { op: 'outside_band', threshold: { kind: 'fixed', warning: 1 } },
      })[0]?.path,
    ).toBe('condition.threshold.kind');
  });

  it('rejects a band whose low is not below its high', () => {
    expect(
      paths({
        ...base,
        condition: {
          op: 'outside_band',
          threshold: { kind: 'band', warning: { low: 2, high: 2 } },
        },
      }),
    ).toEqual([{ path: 'condition.threshold.warning.high', message: 'low must be below high' }]);
  });

  it('rejects a critical threshold milder than the warning one', () => {
    expect(
      paths({
        ...base,
        condition: { op: '>', threshold: { kind: 'fixed', warning: 0.5, critical: 0.2 } },
      })[0]?.path,
    ).toBe('condition.threshold.critical');
    expect(
      paths({
        ...base,
        condition: { op: '<', threshold: { kind: 'fixed', warning: 0.5, critical: 0.2 } },
      }),
    ).toEqual([]);
    const bands = { kind: 'band', warning: { low: 0, high: 10 }, critical: { low: 2, high: 20 } };
    expect(
      paths({ ...base, condition: { op: 'outside_band', threshold: bands } })[0]?.message,
    ).toBe('the critical band must contain the warning band');
  });

  it('keeps minPoints within the stddev window', () => {
    const threshold = { kind: 'stddev', k: { warning: 2 }, window: 4, minPoints: 6 };
    expect(paths({ ...base, condition: { op: '>', threshold } })).toEqual([
      {
        path: 'condition.threshold.minPoints',
        message: 'minPoints (6) must not exceed window (4)',
      },
    ]);
  });

  it('requires op except for the drift verdict, which takes none', () => {
    expect(
      paths({ ...base, condition: { threshold: { kind: 'fixed', warning: 1 } } })[0]?.path,
    ).toBe('condition.op');
    const verdict = {
      ...base,
      metric: 'drift_detected',
      condition: { threshold: { kind: 'drift_verdict' } },
    };
    expect(paths(verdict)).toEqual([]);
    expect(
      paths({ ...verdict, condition: { op: '>', threshold: { kind: 'drift_verdict' } } })[0]?.path,
    ).toBe('condition.op');
    expect(paths({ ...verdict, metric: 'psi' })[0]?.path).toBe('metric');
  });

  it('refuses a column selector on a model-level metric', () => {
    const r = paths({ ...base, metric: 'prediction_count' });
    expect(r).toEqual([
      {
        path: 'column',
        message: "prediction_count is a model-level metric and has no column; use { kind: 'any' }",
      },
    ]);
    expect(paths({ ...base, metric: 'prediction_count', column: { kind: 'any' } })).toEqual([]);
  });

  it('allows minLabelCoverage on performance metrics only', () => {
    expect(paths({ ...base, minLabelCoverage: 0.5 })).toEqual([
      { path: 'minLabelCoverage', message: 'minLabelCoverage applies to performance metrics only' },
    ]);
    expect(
      paths({ ...base, metric: 'accuracy', column: { kind: 'any' }, minLabelCoverage: 0.5 }),
    ).toEqual([]);
    expect(
      paths({ ...base, metric: 'accuracy', column: { kind: 'any' }, minLabelCoverage: 1.5 })[0]
        ?.path,
    ).toBe('minLabelCoverage');
  });

  it('keeps noDataAfter at one window or more', () => {
    expect(paths({ ...base, noDataAfter: 1800 })).toEqual([
      { path: 'noDataAfter', message: 'noDataAfter must be at least one hour window (3600 s)' },
    ]);
  });

  it('names nested fields of the wrong type and unknown fields', () => {
    expect(paths({ ...base, for: -1 })[0]?.path).toBe('for');
    expect(
      paths({
        ...base,
        condition: {
          op: '>',
          threshold: { kind: 'percent_change', baseline: { pointsAgo: 0 }, warning: 10 },
        },
      })[0]?.path,
    ).toBe('condition.threshold.baseline.pointsAgo');
    expect(paths({ ...base, segment: { tag: '' } })[0]?.path).toBe('segment.tag');
    expect(paths({ ...base, extra: true })[0]?.message).toMatch(/extra/);
    expect(paths({ ...base, metric: 'nope' })[0]?.path).toBe('metric');
  });
});

describe('silence matchers schema', () => {
  it('accepts the four ops and rejects an invalid regex at the value', () => {
    for (const op of ['=', '!=', '=~', '!~'])
      expect(SilenceMatcherSchema.safeParse({ name: 'model', op, value: 'm.*' }).success).toBe(
        true,
      );
    const refused = {
      path: 'value',
      message: 'not a regular expression the linear-time (RE2) engine accepts: no backreferences or lookaround',
    };
    expect(paths({ name: 'model', op: '=~', value: '(' }, SilenceMatcherSchema)).toEqual([refused]);
    // Valid for V8, but not linear-time: refused rather than run by a backtracking engine.
    for (const value of ['(a)\\1', 'fraud(?=-v2)', '(?<!x)y'])
      expect(paths({ name: 'model', op: '!~', value }, SilenceMatcherSchema)).toEqual([refused]);
    expect(SilenceMatcherSchema.safeParse({ name: 'model', op: '=', value: '(' }).success).toBe(
      true,
    );
  });

  it('needs at least one matcher and lower_snake_case label names', () => {
    expect(SilenceMatchersSchema.safeParse([]).success).toBe(false);
    expect(paths([{ name: 'Model', op: '=', value: 'x' }], SilenceMatchersSchema)[0]?.path).toBe(
      '0.name',
    );
  });
});

describe('notification policy schema', () => {
  it('turns the stored {} into the defaults', () => {
    expect(NotificationPolicySchema.parse({})).toEqual({
      groupBy: ['model'],
      groupWaitSeconds: 30,
      groupIntervalSeconds: 300,
      repeatIntervalSeconds: 14_400,
    });
  });

  it('accepts only known label names to group by', () => {
    expect(paths({ groupBy: ['model', 'team'] }, NotificationPolicySchema)[0]?.path).toBe(
      'groupBy.1',
    );
  });
});
