import { z } from 'zod';
import { MetricNameSchema } from './metrics.js';
import { DRIFT_VERDICT_METRICS, ESTIMATED_METRICS, METRIC_CATEGORY, MODEL_LEVEL_METRICS } from './metric-categories.js';
import { compileMatcherPattern } from './matcher-pattern.js';

/**
 * Alert rules, silences and the team notification policy (DESIGN.md §6). `AlertRule.definition`
 * stores an `AlertRuleDefinition`, `Silence.matchers` a `SilenceMatcher[]` and
 * `Team.notificationPolicy` a `NotificationPolicy`. The evaluation semantics live in
 * `@vigil/alerting` (see its README).
 */

export const AlertState = {
  ok: 'ok',
  pending: 'pending',
  firing: 'firing',
  resolved: 'resolved',
  nodata: 'nodata',
} as const;
export type AlertState = (typeof AlertState)[keyof typeof AlertState];
export const AlertStateSchema = z.enum(['ok', 'pending', 'firing', 'resolved', 'nodata']);

export const AlertSeverity = { warning: 'warning', critical: 'critical' } as const;
export type AlertSeverity = (typeof AlertSeverity)[keyof typeof AlertSeverity];
export const AlertSeveritySchema = z.enum(['warning', 'critical']);

/** What happens when an instance has had no usable window for `noDataAfter` seconds. */
export const NoDataPolicy = {
  ok: 'ok',
  alerting: 'alerting',
  nodata: 'nodata',
  keep: 'keep',
} as const;
export type NoDataPolicy = (typeof NoDataPolicy)[keyof typeof NoDataPolicy];
export const NoDataPolicySchema = z.enum(['ok', 'alerting', 'nodata', 'keep']);

/** Rules evaluate complete windows only; `minute` windows are too noisy to alert on. */
export const AlertGranularity = { rolling1h: 'rolling_1h', hour: 'hour', day: 'day' } as const;
export type AlertGranularity = (typeof AlertGranularity)[keyof typeof AlertGranularity];
export const AlertGranularitySchema = z.enum(['rolling_1h', 'hour', 'day']);

/** Length of one window; `rolling_1h` points cover the trailing hour. */
export const ALERT_GRANULARITY_SECONDS: Record<AlertGranularity, number> = {
  rolling_1h: 3600,
  hour: 3600,
  day: 86_400,
};

export const ComparisonOp = {
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
  outsideBand: 'outside_band',
} as const;
export type ComparisonOp = (typeof ComparisonOp)[keyof typeof ComparisonOp];
export const ComparisonOpSchema = z.enum(['>', '>=', '<', '<=', 'outside_band']);

const Id = z.string().min(1).max(128);
const ColumnName = z.string().min(1).max(256);

export const AlertScopeSchema = z.strictObject({
  /** Empty or absent: every project of the team. */
  projectIds: z.array(Id).max(100).optional(),
  /** Empty or absent: every model in scope. */
  modelIds: z.array(Id).max(500).optional(),
});
export type AlertScope = z.infer<typeof AlertScopeSchema>;

export const ColumnSelectorSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('any') }),
  z.strictObject({ kind: z.literal('one'), name: ColumnName }),
  z.strictObject({ kind: z.literal('list'), names: z.array(ColumnName).min(1).max(500) }),
]);
export type ColumnSelector = z.infer<typeof ColumnSelectorSchema>;

/** Segment series `tag=value`; without `values`, every value of the tag. */
export const SegmentFilterSchema = z.strictObject({
  tag: z.string().min(1).max(64),
  values: z.array(z.string().min(1).max(256)).min(1).max(50).optional(),
});
export type SegmentFilter = z.infer<typeof SegmentFilterSchema>;

const FiniteNumber = z.number().finite();

export const BandSchema = z
  .strictObject({ low: FiniteNumber, high: FiniteNumber })
  .refine((b) => b.low < b.high, { message: 'low must be below high', path: ['high'] });
export type Band = z.infer<typeof BandSchema>;

/** `value op threshold` with fixed numbers (ops `>`, `>=`, `<`, `<=`). */
export const FixedThresholdSchema = z.strictObject({
  kind: z.literal('fixed'),
  warning: FiniteNumber.optional(),
  critical: FiniteNumber.optional(),
});

/** Breach when the value is outside the band (op `outside_band`); the band itself is fine. */
export const BandThresholdSchema = z.strictObject({
  kind: z.literal('band'),
  warning: BandSchema.optional(),
  critical: BandSchema.optional(),
});

/**
 * Breach when the value deviates from the mean of the `window` preceding points by more than
 * k·σ (sample standard deviation) in the direction of `op`; fewer than `minPoints` preceding
 * points: not evaluated.
 */
export const StddevThresholdSchema = z.strictObject({
  kind: z.literal('stddev'),
  k: z.strictObject({
    warning: z.number().positive().finite().optional(),
    critical: z.number().positive().finite().optional(),
  }),
  window: z.number().int().min(2).max(10_000).default(24),
  minPoints: z.number().int().min(2).max(10_000).default(5),
});

export const PercentChangeBaselineSchema = z.union([
  z.literal('previous'),
  z.literal('trailing_mean'),
  z.strictObject({ pointsAgo: z.number().int().min(1).max(10_000) }),
]);
export type PercentChangeBaseline = z.infer<typeof PercentChangeBaselineSchema>;

/**
 * Change in percent vs a baseline, `(value − baseline) / |baseline| · 100`. Thresholds are
 * magnitudes: `>` means "rose by more than", `<` "fell by more than", `outside_band` either.
 */
export const PercentChangeThresholdSchema = z.strictObject({
  kind: z.literal('percent_change'),
  baseline: PercentChangeBaselineSchema,
  /** Points in the trailing mean (`baseline: 'trailing_mean'` only). */
  window: z.number().int().min(1).max(10_000).default(24),
  warning: z.number().positive().finite().optional(),
  critical: z.number().positive().finite().optional(),
});

/** The drift test's own verdict (`drift_detected`/`dataset_drift` = 1, or the point's details); critical only. */
export const DriftVerdictThresholdSchema = z.strictObject({ kind: z.literal('drift_verdict') });

/**
 * The band the metric kept on the reference (an estimated metric's `details.thresholdLower` /
 * `thresholdUpper`): op `<` breaches below the lower bound, `>` above the upper one,
 * `outside_band` either. One severity (default critical).
 */
export const ReferenceBandThresholdSchema = z.strictObject({
  kind: z.literal('reference_band'),
  severity: AlertSeveritySchema.default('critical'),
});

export const ThresholdSchema = z.discriminatedUnion('kind', [
  FixedThresholdSchema,
  BandThresholdSchema,
  StddevThresholdSchema,
  PercentChangeThresholdSchema,
  DriftVerdictThresholdSchema,
  ReferenceBandThresholdSchema,
]);
export type Threshold = z.infer<typeof ThresholdSchema>;

export const AlertConditionSchema = z.strictObject({
  /** Required for every threshold kind except `drift_verdict`, which has no comparison. */
  op: ComparisonOpSchema.optional(),
  threshold: ThresholdSchema,
});
export type AlertCondition = z.infer<typeof AlertConditionSchema>;

const Seconds = z
  .number()
  .int()
  .min(0)
  .max(90 * 86_400);

export const AlertRuleDefinitionSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    scope: AlertScopeSchema.default({}),
    metric: MetricNameSchema,
    column: ColumnSelectorSchema.default({ kind: 'any' }),
    /** Absent: only the unsegmented series (segment ''). */
    segment: SegmentFilterSchema.optional(),
    granularity: AlertGranularitySchema,
    condition: AlertConditionSchema,
    /** Breaching evaluations spent in `pending`: the alert fires on breach number `for + 1`. */
    for: z.number().int().min(0).max(10_000).default(0),
    /** Seconds (of window time) a firing alert must stay clear before it resolves. */
    keepFiringFor: Seconds.default(0),
    noData: NoDataPolicySchema.default('nodata'),
    /** Seconds after the end of the newest usable window; default 2 × the granularity (`noDataAfterSeconds`). */
    noDataAfter: z
      .number()
      .int()
      .min(60)
      .max(90 * 86_400)
      .optional(),
    /** Performance metrics only: a window whose label_coverage is below this counts as missing. */
    minLabelCoverage: z.number().min(0).max(1).optional(),
    /** NotificationChannel ids. */
    channels: z.array(Id).max(20).default([]),
    /** Seconds between repeats of a still-firing alert; absent: the team policy's (default 4 h). */
    repeatIntervalSeconds: z
      .number()
      .int()
      .min(60)
      .max(30 * 86_400)
      .optional(),
    notifyOnResolve: z.boolean().default(true),
    enabled: z.boolean().default(true),
  })
  .superRefine((rule, ctx) => {
    const issue = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: 'custom', path, message });
    const { op, threshold } = rule.condition;
    const thresholdPath = ['condition', 'threshold'];

    if (threshold.kind === 'drift_verdict') {
      if (op !== undefined)
        issue(['condition', 'op'], "drift_verdict uses the drift test's own verdict; omit op");
      if (!DRIFT_VERDICT_METRICS.has(rule.metric)) {
        issue(['metric'], `drift_verdict needs one of ${[...DRIFT_VERDICT_METRICS].join(', ')}`);
      }
    } else if (op === undefined) {
      issue(['condition', 'op'], `op is required for ${threshold.kind} thresholds`);
    } else if (threshold.kind === 'reference_band') {
      if (op !== '<' && op !== '>' && op !== 'outside_band') {
        issue(['condition', 'op'], "reference_band thresholds need op '<' (below the lower bound), '>' (above the upper one) or 'outside_band'");
      }
      if (!ESTIMATED_METRICS.has(rule.metric)) {
        issue(['metric'], `reference_band needs one of ${[...ESTIMATED_METRICS].join(', ')}`);
      }
    } else if (threshold.kind === 'band' && op !== 'outside_band') {
      issue(['condition', 'op'], 'band thresholds need op outside_band');
    } else if (threshold.kind === 'fixed' && op === 'outside_band') {
      issue(
        [...thresholdPath, 'kind'],
        'op outside_band needs a band threshold ({ kind: "band" })',
      );
    }

    if (
      threshold.kind === 'fixed' ||
      threshold.kind === 'band' ||
      threshold.kind === 'percent_change'
    ) {
      if (threshold.warning === undefined && threshold.critical === undefined) {
        issue(thresholdPath, 'give a warning or a critical threshold (or both)');
      }
    }
    if (threshold.kind === 'stddev') {
      if (threshold.k.warning === undefined && threshold.k.critical === undefined) {
        issue([...thresholdPath, 'k'], 'give k.warning or k.critical (or both)');
      }
      if (threshold.minPoints > threshold.window) {
        issue(
          [...thresholdPath, 'minPoints'],
          `minPoints (${threshold.minPoints}) must not exceed window (${threshold.window})`,
        );
      }
    }

    // A critical threshold milder than the warning one would make `warning` unreachable.
    const milder = criticalMilderThanWarning(op, threshold);
    if (milder) issue([...thresholdPath, 'critical'], milder);

    if (MODEL_LEVEL_METRICS.has(rule.metric) && rule.column.kind !== 'any') {
      issue(
        ['column'],
        `${rule.metric} is a model-level metric and has no column; use { kind: 'any' }`,
      );
    }
    if (rule.minLabelCoverage !== undefined && METRIC_CATEGORY[rule.metric] !== 'performance') {
      issue(['minLabelCoverage'], 'minLabelCoverage applies to performance metrics only');
    } else if (rule.minLabelCoverage !== undefined && ESTIMATED_METRICS.has(rule.metric)) {
      issue(['minLabelCoverage'], `${rule.metric} is estimated without labels; minLabelCoverage does not apply`);
    }
    const windowSeconds = ALERT_GRANULARITY_SECONDS[rule.granularity];
    if (rule.noDataAfter !== undefined && rule.noDataAfter < windowSeconds) {
      issue(
        ['noDataAfter'],
        `noDataAfter must be at least one ${rule.granularity} window (${windowSeconds} s)`,
      );
    }
  });
export type AlertRuleDefinition = z.infer<typeof AlertRuleDefinitionSchema>;
/** What a client sends (defaults not yet applied). */
export type AlertRuleDefinitionInput = z.input<typeof AlertRuleDefinitionSchema>;

function criticalMilderThanWarning(op: ComparisonOp | undefined, t: Threshold): string | null {
  switch (t.kind) {
    case 'fixed':
      if (t.warning === undefined || t.critical === undefined) return null;
      if ((op === '>' || op === '>=') && t.critical < t.warning)
        return 'critical must be ≥ warning for op > / >=';
      if ((op === '<' || op === '<=') && t.critical > t.warning)
        return 'critical must be ≤ warning for op < / <=';
      return null;
    case 'band':
      if (!t.warning || !t.critical) return null;
      return t.critical.low <= t.warning.low && t.critical.high >= t.warning.high
        ? null
        : 'the critical band must contain the warning band';
    case 'stddev':
      return t.k.warning !== undefined && t.k.critical !== undefined && t.k.critical < t.k.warning
        ? 'k.critical must be ≥ k.warning'
        : null;
    case 'percent_change':
      return t.warning !== undefined && t.critical !== undefined && t.critical < t.warning
        ? 'critical must be ≥ warning'
        : null;
    case 'drift_verdict':
    case 'reference_band':
      return null;
  }
}

/** Seconds without a usable window before the no-data policy applies. */
export function noDataAfterSeconds(
  rule: Pick<AlertRuleDefinition, 'noDataAfter' | 'granularity'>,
): number {
  return rule.noDataAfter ?? 2 * ALERT_GRANULARITY_SECONDS[rule.granularity];
}

/** Label names an alert carries for grouping and silences. */
export const AlertLabelName = {
  rule: 'rule',
  metric: 'metric',
  model: 'model',
  version: 'version',
  column: 'column',
  segment: 'segment',
  severity: 'severity',
} as const;
export type AlertLabelName = (typeof AlertLabelName)[keyof typeof AlertLabelName];
export const AlertLabelNameSchema = z.enum([
  'rule',
  'metric',
  'model',
  'version',
  'column',
  'segment',
  'severity',
]);

/**
 * One condition of a silence over an alert's labels. Regex ops are anchored (the whole value
 * must match), as in Alertmanager; a label the alert lacks reads as ''.
 */
export const SilenceMatcherSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-z_][a-z0-9_]*$/, 'label names are lower_snake_case')
      .max(64),
    op: z.enum(['=', '!=', '=~', '!~']),
    value: z.string().max(1024),
  })
  .refine((m) => (m.op === '=~' || m.op === '!~' ? compileMatcherPattern(m.value) !== null : true), {
    message: 'not a regular expression the linear-time (RE2) engine accepts: no backreferences or lookaround',
    path: ['value'],
  });
export type SilenceMatcher = z.infer<typeof SilenceMatcherSchema>;

/** `Silence.matchers`: all must match; at least one, so a silence never mutes everything by accident. */
export const SilenceMatchersSchema = z.array(SilenceMatcherSchema).min(1).max(20);

export const DEFAULT_REPEAT_INTERVAL_SECONDS = 14_400;

/** `Team.notificationPolicy` (stored as `{}` until edited: every field has a default). */
export const NotificationPolicySchema = z.strictObject({
  /** Alerts with equal values of these labels go out in one notification. */
  groupBy: z.array(AlertLabelNameSchema).max(7).default(['model']),
  /** Wait before the first notification of a new group, to collect alerts firing together. */
  groupWaitSeconds: z.number().int().min(0).max(3600).default(30),
  /** Minimum gap between notifications of a group about changes. */
  groupIntervalSeconds: z.number().int().min(1).max(86_400).default(300),
  /** Gap between repeats of an unchanged, unacknowledged firing group (rules may override). */
  repeatIntervalSeconds: z
    .number()
    .int()
    .min(60)
    .max(30 * 86_400)
    .default(DEFAULT_REPEAT_INTERVAL_SECONDS),
});
export type NotificationPolicy = z.infer<typeof NotificationPolicySchema>;
export type NotificationPolicyInput = z.input<typeof NotificationPolicySchema>;

export const NotificationKind = {
  firing: 'firing',
  resolved: 'resolved',
  repeat: 'repeat',
} as const;
export type NotificationKind = (typeof NotificationKind)[keyof typeof NotificationKind];
