import { MetricName } from '@vigil/contracts';
import type {
  AlertCondition,
  AlertSeverity,
  Band,
  ComparisonOp,
  Threshold,
} from '@vigil/contracts';

/** The bound that was crossed (or, when nothing was, the mildest configured one). */
export type ThresholdValue = number | Band | null;

export type NotEvaluableReason = 'insufficient_history' | 'no_verdict' | 'no_reference_band';

export type ThresholdOutcome =
  | {
      readonly evaluable: true;
      readonly breached: boolean;
      /** Critical wins over warning; null when not breached. */
      readonly severity: AlertSeverity | null;
      readonly threshold: ThresholdValue;
      /** What was compared: the value, or the change in percent for `percent_change`. */
      readonly observed: number;
    }
  | { readonly evaluable: false; readonly reason: NotEvaluableReason; readonly observed: number };

export interface ThresholdInput {
  readonly metric: string;
  readonly value: number;
  /** Values of the preceding usable points of the same series, oldest first. */
  readonly history: readonly number[];
  readonly details?: unknown;
}

/** How many preceding points the condition looks at (0: only the value itself). */
export function historyDepth(condition: AlertCondition): number {
  const t = condition.threshold;
  if (t.kind === 'stddev') return t.window;
  if (t.kind !== 'percent_change') return 0;
  if (t.baseline === 'previous') return 1;
  if (t.baseline === 'trailing_mean') return t.window;
  return t.baseline.pointsAgo;
}

export function evaluateThreshold(
  condition: AlertCondition,
  input: ThresholdInput,
): ThresholdOutcome {
  // The schema requires op for every kind but drift_verdict, which ignores it.
  const op = condition.op ?? '>';
  const t = condition.threshold;
  switch (t.kind) {
    case 'fixed':
      return graded(input.value, t.warning, t.critical, (bound) => compare(op, input.value, bound));
    case 'band':
      return graded(
        input.value,
        t.warning,
        t.critical,
        (band) => input.value < band.low || input.value > band.high,
      );
    case 'stddev':
      return stddev(op, t, input);
    case 'percent_change':
      return percentChange(op, t, input);
    case 'drift_verdict':
      return driftVerdict(input);
    case 'reference_band':
      return referenceBand(op, t.severity, input);
  }
}

/**
 * The value against the band the metric kept on the reference (`details.thresholdLower` /
 * `thresholdUpper` of an estimated metric's point): `<` below the lower bound, `>` above the
 * upper one, `outside_band` either. A bound the point lacks: not evaluated.
 */
function referenceBand(op: ComparisonOp, severity: AlertSeverity, input: ThresholdInput): ThresholdOutcome {
  const details = isRecord(input.details) ? input.details : {};
  const bound = (key: string): number | null => {
    const v = details[key];
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  };
  const low = op === '>' ? null : bound('thresholdLower');
  const high = op === '<' ? null : bound('thresholdUpper');
  const needed = op === '<' ? low !== null : op === '>' ? high !== null : low !== null && high !== null;
  if (!needed) return { evaluable: false, reason: 'no_reference_band', observed: input.value };
  const below = low !== null && input.value < low;
  const above = high !== null && input.value > high;
  const threshold: ThresholdValue = op === 'outside_band' ? { low: low!, high: high! } : op === '<' ? low : high;
  const breached = below || above;
  return { evaluable: true, breached, severity: breached ? severity : null, threshold, observed: input.value };
}

function compare(op: ComparisonOp, value: number, bound: number): boolean {
  switch (op) {
    case '>':
      return value > bound;
    case '>=':
      return value >= bound;
    case '<':
      return value < bound;
    case '<=':
      return value <= bound;
    case 'outside_band':
      // Unreachable: the schema pairs outside_band with band thresholds only.
      return false;
  }
}

function graded<B extends number | Band>(
  observed: number,
  warning: B | undefined,
  critical: B | undefined,
  breaches: (bound: B) => boolean,
): ThresholdOutcome {
  if (critical !== undefined && breaches(critical)) {
    return { evaluable: true, breached: true, severity: 'critical', threshold: critical, observed };
  }
  if (warning !== undefined && breaches(warning)) {
    return { evaluable: true, breached: true, severity: 'warning', threshold: warning, observed };
  }
  return {
    evaluable: true,
    breached: false,
    severity: null,
    threshold: warning ?? critical ?? null,
    observed,
  };
}

type StddevThreshold = Extract<Threshold, { kind: 'stddev' }>;

/** Mean and sample standard deviation (n − 1) of the `window` preceding points. */
function stddev(op: ComparisonOp, t: StddevThreshold, input: ThresholdInput): ThresholdOutcome {
  const window = input.history.slice(-t.window);
  if (window.length < t.minPoints)
    return { evaluable: false, reason: 'insufficient_history', observed: input.value };
  const mean = window.reduce((s, v) => s + v, 0) / window.length;
  const sigma = Math.sqrt(window.reduce((s, v) => s + (v - mean) ** 2, 0) / (window.length - 1));
  const deviation =
    op === '<' || op === '<='
      ? mean - input.value
      : op === 'outside_band'
        ? Math.abs(input.value - mean)
        : input.value - mean;
  // With σ = 0 any deviation counts, but no deviation never does (even for >=): a flat series is not a breach.
  const inclusive = (op === '>=' || op === '<=') && sigma > 0;
  const bound = (k: number): ThresholdValue => {
    if (op === 'outside_band') return { low: mean - k * sigma, high: mean + k * sigma };
    return op === '<' || op === '<=' ? mean - k * sigma : mean + k * sigma;
  };
  const breaches = (k: number) => (inclusive ? deviation >= k * sigma : deviation > k * sigma);
  const { warning, critical } = t.k;
  if (critical !== undefined && breaches(critical)) {
    return {
      evaluable: true,
      breached: true,
      severity: 'critical',
      threshold: bound(critical),
      observed: input.value,
    };
  }
  if (warning !== undefined && breaches(warning)) {
    return {
      evaluable: true,
      breached: true,
      severity: 'warning',
      threshold: bound(warning),
      observed: input.value,
    };
  }
  const mildest = warning ?? critical;
  return {
    evaluable: true,
    breached: false,
    severity: null,
    threshold: mildest === undefined ? null : bound(mildest),
    observed: input.value,
  };
}

type PercentChangeThreshold = Extract<Threshold, { kind: 'percent_change' }>;

function percentChange(
  op: ComparisonOp,
  t: PercentChangeThreshold,
  input: ThresholdInput,
): ThresholdOutcome {
  const baseline = baselineOf(t, input.history);
  if (baseline === null)
    return { evaluable: false, reason: 'insufficient_history', observed: input.value };
  // A zero baseline makes any change infinite rather than undefined: 0 → 5 is a rise.
  const change =
    input.value === baseline ? 0 : ((input.value - baseline) / Math.abs(baseline)) * 100;
  const breaches = (p: number) => {
    switch (op) {
      case '>':
        return change > p;
      case '>=':
        return change >= p;
      case '<':
        return change < -p;
      case '<=':
        return change <= -p;
      case 'outside_band':
        return Math.abs(change) > p;
    }
  };
  const bound = (p: number): ThresholdValue =>
    op === 'outside_band' ? { low: -p, high: p } : op === '<' || op === '<=' ? -p : p;
  if (t.critical !== undefined && breaches(t.critical)) {
    return {
      evaluable: true,
      breached: true,
      severity: 'critical',
      threshold: bound(t.critical),
      observed: change,
    };
  }
  if (t.warning !== undefined && breaches(t.warning)) {
    return {
      evaluable: true,
      breached: true,
      severity: 'warning',
      threshold: bound(t.warning),
      observed: change,
    };
  }
  const mildest = t.warning ?? t.critical;
  return {
    evaluable: true,
    breached: false,
    severity: null,
    threshold: mildest === undefined ? null : bound(mildest),
    observed: change,
  };
}

function baselineOf(t: PercentChangeThreshold, history: readonly number[]): number | null {
  if (t.baseline === 'trailing_mean') {
    const window = history.slice(-t.window);
    return window.length === 0 ? null : window.reduce((s, v) => s + v, 0) / window.length;
  }
  const ago = t.baseline === 'previous' ? 1 : t.baseline.pointsAgo;
  return history[history.length - ago] ?? null;
}

/**
 * The drift test's verdict, in order: `details.drifted` if the point has it; the 0/1 value of
 * `drift_detected` / `dataset_drift`; for `drift_score`, the score against `details.threshold`
 * (p-values drift below it, distances at or above it).
 */
function driftVerdict(input: ThresholdInput): ThresholdOutcome {
  const details = isRecord(input.details) ? input.details : {};
  const testThreshold = typeof details['threshold'] === 'number' ? details['threshold'] : null;
  let drifted: boolean | null = null;
  if (typeof details['drifted'] === 'boolean') drifted = details['drifted'];
  else if (input.metric === MetricName.driftDetected || input.metric === MetricName.datasetDrift)
    drifted = input.value === 1;
  else if (testThreshold !== null) {
    drifted =
      details['scoreKind'] === 'p_value'
        ? input.value < testThreshold
        : input.value >= testThreshold;
  }
  if (drifted === null) return { evaluable: false, reason: 'no_verdict', observed: input.value };
  return {
    evaluable: true,
    breached: drifted,
    severity: drifted ? 'critical' : null,
    threshold: testThreshold,
    observed: input.value,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
