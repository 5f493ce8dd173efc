import { AlertState } from '@vigil/contracts';
import type { AlertSeverity } from '@vigil/contracts';
import { alertFingerprint, type AlertLabels } from './fingerprint.js';
import type { AlertRule } from './rule.js';
import type { NotEvaluableReason, ThresholdValue } from './threshold.js';

/**
 * Everything the evaluator remembers about one alert instance between runs. Times are epoch
 * ms; `…Window` fields are window starts (data time), `…At` fields evaluation times (`now`).
 * JSON-serialisable so a worker can persist it (the first eleven fields are the `alerts`
 * columns; the rest is evaluator bookkeeping).
 */
export interface AlertInstanceState {
  readonly fingerprint: string;
  readonly labels: AlertLabels;
  readonly state: AlertState;
  /** Severity of the current pending/firing episode; for `resolved`, the one it resolved with. */
  readonly severity: AlertSeverity | null;
  /** Value of the last evaluated window (null after no data). */
  readonly value: number | null;
  /** Consecutive breaching evaluations. */
  readonly consecutive: number;
  /** When the current episode (pending or firing) began. */
  readonly startedAt: number | null;
  readonly lastEvaluatedAt: number | null;
  readonly lastBreachAt: number | null;
  readonly resolvedAt: number | null;
  /** Set by a user; cleared when the episode ends. */
  readonly acknowledgedAt: number | null;
  /** Newest window consumed: windows up to it are not evaluated again (idempotent runs). */
  readonly lastEvaluatedWindow: number | null;
  /** Newest breaching window; keepFiringFor counts from it in window time. */
  readonly lastBreachWindow: number | null;
  /**
   * Newest window that counted as data (not skipped for low label coverage); on creation the
   * first window seen, so an instance that never gets usable data still reaches no-data.
   */
  readonly lastDataWindow: number | null;
  /** When the no-data policy was applied; it is applied once per data gap. */
  readonly noDataSince: number | null;
  /** Signature of the input the last window step saw: a recomputed window is re-evaluated when it differs. */
  readonly lastInput: string | null;
  /** State before the last window step, to re-evaluate that window when its value changes. */
  readonly beforeLastWindow: AlertInstanceSnapshot | null;
}

export type AlertInstanceSnapshot = Omit<AlertInstanceState, 'beforeLastWindow'>;

export type SkipReason = NotEvaluableReason | 'low_label_coverage';

/** One ready window of an instance, judged against the rule's condition. */
export type WindowInput =
  | {
      readonly kind: 'evaluated';
      readonly labels: AlertLabels;
      readonly windowStart: number;
      readonly value: number;
      readonly breached: boolean;
      readonly severity: AlertSeverity | null;
      readonly threshold: ThresholdValue;
      readonly observed: number;
    }
  | {
      /** The window exists but cannot be judged: state and `for` count are left as they are. */
      readonly kind: 'skipped';
      readonly labels: AlertLabels;
      readonly windowStart: number;
      readonly value: number;
      readonly reason: SkipReason;
    };

export type EvaluationInput =
  WindowInput | { readonly kind: 'nodata'; readonly labels: AlertLabels };

export interface AlertTransition {
  readonly from: AlertState;
  readonly to: AlertState;
  readonly severity: AlertSeverity | null;
  readonly value: number | null;
  readonly at: number;
  /** The window that caused it; null for no-data. */
  readonly windowStart: number | null;
  readonly threshold: ThresholdValue;
  readonly observed: number | null;
}

export interface StepResult {
  readonly next: AlertInstanceState;
  /** Present only when the state (or, while firing, the severity) changed. */
  readonly transition?: AlertTransition;
}

export function initialState(ruleId: string, labels: AlertLabels): AlertInstanceState {
  return {
    fingerprint: alertFingerprint(ruleId, labels),
    labels: {
      model: labels.model,
      version: labels.version,
      column: labels.column,
      segment: labels.segment,
    },
    state: AlertState.ok,
    severity: null,
    value: null,
    consecutive: 0,
    startedAt: null,
    lastEvaluatedAt: null,
    lastBreachAt: null,
    resolvedAt: null,
    acknowledgedAt: null,
    lastEvaluatedWindow: null,
    lastBreachWindow: null,
    lastDataWindow: null,
    noDataSince: null,
    lastInput: null,
    beforeLastWindow: null,
  };
}

/** A stable string for what a window step saw (same window, same signature: nothing to redo). */
export function inputSignature(input: WindowInput): string {
  return input.kind === 'evaluated'
    ? JSON.stringify([
        'evaluated',
        input.value,
        input.breached,
        input.severity,
        input.threshold,
        input.observed,
      ])
    : JSON.stringify(['skipped', input.value, input.reason]);
}

/**
 * One evaluation of one instance:
 * - breach: ok/resolved/nodata → pending (or firing when `for` is 0); pending → firing on the
 *   (`for` + 1)-th consecutive breach; firing stays firing, a changed severity is a transition.
 * - clear: pending → ok, resolved/nodata → ok, firing → resolved once the last breaching window
 *   is at least `keepFiringFor` seconds older than this one (else it keeps firing).
 * - skipped: the window is consumed, nothing else changes.
 * - nodata: the rule's no-data policy, once per gap (see `applyNoData`).
 */
export function step(
  prev: AlertInstanceState | undefined,
  input: EvaluationInput,
  rule: AlertRule,
  now: number,
): StepResult {
  const from = prev ?? initialState(rule.id, input.labels);
  let next: AlertInstanceState;
  switch (input.kind) {
    case 'evaluated':
      next = applyEvaluation(from, input, rule, now);
      break;
    case 'skipped':
      next = applySkip(from, input, now);
      break;
    case 'nodata':
      next = applyNoData(from, rule, now);
      break;
  }
  const transition = transitionBetween(from, next, now, input);
  return transition ? { next, transition } : { next };
}

/**
 * Re-evaluates the instance's last window with a recomputed input (late data): the step is
 * replayed from the state before that window, so `for` is not counted twice. If the alert had
 * already fired and the new data says it should not be firing, it resolves — a notification
 * went out and must be withdrawn. A transition is emitted only if the state actually changes.
 */
export function reevaluateLastWindow(
  current: AlertInstanceState,
  input: WindowInput,
  rule: AlertRule,
  now: number,
): StepResult {
  if (current.beforeLastWindow === null || current.lastEvaluatedWindow !== input.windowStart)
    return { next: current };
  const { next: recomputed } = step(
    { ...current.beforeLastWindow, beforeLastWindow: null },
    input,
    rule,
    now,
  );
  const active = (s: AlertState) => s === AlertState.pending || s === AlertState.firing;
  let next: AlertInstanceState = {
    ...recomputed,
    // The same episode keeps its start, resolution time and acknowledgement.
    startedAt:
      active(current.state) && active(recomputed.state) ? current.startedAt : recomputed.startedAt,
    resolvedAt: current.state === recomputed.state ? current.resolvedAt : recomputed.resolvedAt,
    acknowledgedAt: active(recomputed.state)
      ? (current.acknowledgedAt ?? recomputed.acknowledgedAt)
      : null,
  };
  if (
    current.state === AlertState.firing &&
    (next.state === AlertState.ok || next.state === AlertState.pending)
  ) {
    next = {
      ...next,
      state: AlertState.resolved,
      severity: current.severity,
      resolvedAt: now,
      acknowledgedAt: null,
    };
  }
  const transition = transitionBetween(current, next, now, input);
  return transition ? { next, transition } : { next };
}

function snapshot(state: AlertInstanceState): AlertInstanceSnapshot {
  // Drop the nested snapshot so the chain stays one level deep.
  const { beforeLastWindow: _dropped, ...rest } = state;
  return rest;
}

function windowBookkeeping(s: AlertInstanceState, input: WindowInput, now: number) {
  return {
    lastEvaluatedAt: now,
    lastEvaluatedWindow: input.windowStart,
    lastInput: inputSignature(input),
    beforeLastWindow: snapshot(s),
  };
}

function applyEvaluation(
  s: AlertInstanceState,
  input: Extract<WindowInput, { kind: 'evaluated' }>,
  rule: AlertRule,
  now: number,
): AlertInstanceState {
  const def = rule.definition;
  const base: AlertInstanceState = {
    ...s,
    ...windowBookkeeping(s, input, now),
    value: input.value,
    lastDataWindow: input.windowStart,
    noDataSince: null,
  };
  if (input.breached) {
    const consecutive = s.consecutive + 1;
    const breach: AlertInstanceState = {
      ...base,
      consecutive,
      severity: input.severity ?? 'critical',
      lastBreachAt: now,
      lastBreachWindow: input.windowStart,
    };
    if (s.state === AlertState.firing) return { ...breach, state: AlertState.firing };
    const startedAt = s.state === AlertState.pending ? s.startedAt : now;
    const state = consecutive > def.for ? AlertState.firing : AlertState.pending;
    return { ...breach, state, startedAt, resolvedAt: null };
  }
  const clear: AlertInstanceState = { ...base, consecutive: 0 };
  if (s.state === AlertState.firing) {
    const keepFiringMs = def.keepFiringFor * 1000;
    if (s.lastBreachWindow !== null && input.windowStart - s.lastBreachWindow < keepFiringMs)
      return clear;
    return { ...clear, state: AlertState.resolved, resolvedAt: now, acknowledgedAt: null };
  }
  return { ...clear, state: AlertState.ok, severity: null, startedAt: null, acknowledgedAt: null };
}

function applySkip(
  s: AlertInstanceState,
  input: Extract<WindowInput, { kind: 'skipped' }>,
  now: number,
): AlertInstanceState {
  // Too few labels is missing data; a window the condition cannot judge yet (short history) is data.
  const counts = input.reason !== 'low_label_coverage';
  return {
    ...s,
    ...windowBookkeeping(s, input, now),
    lastDataWindow: counts || s.lastDataWindow === null ? input.windowStart : s.lastDataWindow,
    noDataSince: counts ? null : s.noDataSince,
  };
}

/**
 * The no-data policy, applied once when a gap is detected (repeated runs during the same gap
 * change nothing, so evaluation stays idempotent). `ok` and `alerting` act at once — `for` and
 * `keepFiringFor` count evaluated windows, and a gap has none; noDataAfter is the delay.
 */
function applyNoData(s: AlertInstanceState, rule: AlertRule, now: number): AlertInstanceState {
  if (s.noDataSince !== null) return s;
  // The last window can no longer be re-evaluated: the gap came after it.
  const marked: AlertInstanceState = {
    ...s,
    noDataSince: now,
    lastEvaluatedAt: now,
    beforeLastWindow: null,
  };
  switch (rule.definition.noData) {
    case 'keep':
      return marked;
    case 'nodata':
      return {
        ...marked,
        state: AlertState.nodata,
        severity: null,
        value: null,
        consecutive: 0,
        startedAt: null,
        acknowledgedAt: null,
      };
    case 'alerting': {
      const active = s.state === AlertState.pending || s.state === AlertState.firing;
      return {
        ...marked,
        state: AlertState.firing,
        severity: 'critical',
        startedAt: active ? s.startedAt : now,
        resolvedAt: null,
      };
    }
    case 'ok':
      if (s.state === AlertState.firing) {
        return {
          ...marked,
          state: AlertState.resolved,
          consecutive: 0,
          resolvedAt: now,
          acknowledgedAt: null,
        };
      }
      return {
        ...marked,
        state: AlertState.ok,
        severity: null,
        consecutive: 0,
        startedAt: null,
        acknowledgedAt: null,
      };
  }
}

function transitionBetween(
  from: AlertInstanceState,
  to: AlertInstanceState,
  now: number,
  input: EvaluationInput,
): AlertTransition | undefined {
  const severityChanged =
    from.state === AlertState.firing &&
    to.state === AlertState.firing &&
    from.severity !== to.severity;
  if (from.state === to.state && !severityChanged) return undefined;
  const evaluated = input.kind === 'evaluated';
  return {
    from: from.state,
    to: to.state,
    severity: to.severity,
    value: input.kind === 'nodata' ? null : input.value,
    at: now,
    windowStart: input.kind === 'nodata' ? null : input.windowStart,
    threshold: evaluated ? input.threshold : null,
    observed: evaluated ? input.observed : null,
  };
}
