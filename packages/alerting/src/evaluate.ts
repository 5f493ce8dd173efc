import { noDataAfterSeconds } from '@vigil/contracts';
import type { AlertRuleDefinition } from '@vigil/contracts';
import { alertFingerprint, type AlertLabels } from './fingerprint.js';
import type { AlertRule } from './rule.js';
import {
  hasEnoughLabels,
  labelCoverageIndex,
  labelsMatchRule,
  pointMatchesRule,
  seriesKey,
  seriesLabels,
  windowMs,
  type MetricPoint,
} from './series.js';
import {
  inputSignature,
  reevaluateLastWindow,
  step,
  type AlertInstanceState,
  type AlertTransition,
  type StepResult,
  type WindowInput,
} from './state-machine.js';
import { evaluateThreshold } from './threshold.js';

export interface RuleTransition extends AlertTransition {
  readonly ruleId: string;
  readonly fingerprint: string;
  readonly labels: AlertLabels;
}

export interface RuleEvaluation {
  /** Every instance of the rule after this run, by fingerprint (unchanged ones included). */
  readonly instances: Map<string, AlertInstanceState>;
  /** In order of instance (by labels), then time. */
  readonly transitions: RuleTransition[];
}

export interface InstanceSeries {
  readonly labels: AlertLabels;
  /** One point per window (the last given wins), oldest first. */
  readonly points: readonly MetricPoint[];
}

/**
 * Evaluates one rule over the points given. `points` may hold anything — other metrics,
 * granularities, unready windows — only the rule's ready points in scope are used, plus the
 * `label_coverage` points when the rule sets `minLabelCoverage`.
 *
 * Per instance (model, version, column, segment): every ready window newer than the
 * instance's `lastEvaluatedWindow` is evaluated once, oldest first, with the preceding points
 * given as history for stddev / percent-change thresholds (pass at least `historyDepth` of
 * them). The last evaluated window is evaluated again only if its input changed (late data).
 * Changed values of older windows are used as history but not re-judged: the live state
 * cannot be rewound further (a backtest over the stored points can).
 *
 * Then no-data: a known instance whose newest usable window ended more than `noDataAfter`
 * seconds before `now` gets the no-data policy (once per gap). An instance never seen has no
 * state to go stale. Disabled rules change nothing. `prevStates` holds this rule's instances.
 */
export function evaluateRule(
  rule: AlertRule,
  points: readonly MetricPoint[],
  prevStates: ReadonlyMap<string, AlertInstanceState>,
  now: number,
): RuleEvaluation {
  const def = rule.definition;
  const instances = new Map(prevStates);
  const transitions: RuleTransition[] = [];
  if (!def.enabled) return { instances, transitions };

  const record = (fingerprint: string, labels: AlertLabels, result: StepResult) => {
    instances.set(fingerprint, result.next);
    if (result.transition)
      transitions.push({ ruleId: rule.id, fingerprint, labels, ...result.transition });
  };

  const coverage = labelCoverageIndex(def, points);
  for (const { labels, points: series } of instanceSeries(def, points)) {
    const fingerprint = alertFingerprint(rule.id, labels);
    const history: number[] = [];
    for (const point of series) {
      const state = instances.get(fingerprint);
      const last = state?.lastEvaluatedWindow ?? null;
      const usable = hasEnoughLabels(def, point, coverage);
      if (last === null || point.windowStart > last) {
        record(
          fingerprint,
          labels,
          step(state, windowInput(def, labels, point, usable, history), rule, now),
        );
      } else if (state && point.windowStart === last) {
        const input = windowInput(def, labels, point, usable, history);
        if (state.lastInput !== inputSignature(input))
          record(fingerprint, labels, reevaluateLastWindow(state, input, rule, now));
      }
      if (usable) history.push(point.value);
    }
  }

  const staleAfterMs = noDataAfterSeconds(def) * 1000;
  const length = windowMs(def.granularity);
  for (const [fingerprint, state] of [...instances].sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  )) {
    if (state.lastDataWindow === null || !labelsMatchRule(def, state.labels)) continue;
    if (now - (state.lastDataWindow + length) > staleAfterMs) {
      record(
        fingerprint,
        state.labels,
        step(state, { kind: 'nodata', labels: state.labels }, rule, now),
      );
    }
  }
  return { instances, transitions };
}

/** The rule's points grouped per instance, deduplicated per window and sorted by time; instances sorted by labels. */
export function instanceSeries(
  def: AlertRuleDefinition,
  points: readonly MetricPoint[],
): InstanceSeries[] {
  const byInstance = new Map<string, { labels: AlertLabels; points: MetricPoint[] }>();
  for (const point of points) {
    if (!pointMatchesRule(def, point)) continue;
    const key = seriesKey(point);
    const entry = byInstance.get(key);
    if (entry) entry.points.push(point);
    else byInstance.set(key, { labels: seriesLabels(point), points: [point] });
  }
  return [...byInstance.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, { labels, points: list }]) => ({ labels, points: lastPerWindow(list) }));
}

/** Sorted by window start; of several points for one window the last given wins (as upserts do). */
function lastPerWindow(list: MetricPoint[]): MetricPoint[] {
  // Array.prototype.sort is stable, so equal windows keep input order.
  list.sort((a, b) => a.windowStart - b.windowStart);
  const out: MetricPoint[] = [];
  for (const p of list) {
    if (out.length > 0 && out[out.length - 1]?.windowStart === p.windowStart)
      out[out.length - 1] = p;
    else out.push(p);
  }
  return out;
}

function windowInput(
  def: AlertRuleDefinition,
  labels: AlertLabels,
  point: MetricPoint,
  usable: boolean,
  history: readonly number[],
): WindowInput {
  const base = { labels, windowStart: point.windowStart, value: point.value };
  if (!usable) return { kind: 'skipped', ...base, reason: 'low_label_coverage' };
  const outcome = evaluateThreshold(def.condition, {
    metric: point.metric,
    value: point.value,
    history,
    details: point.details,
  });
  if (!outcome.evaluable) return { kind: 'skipped', ...base, reason: outcome.reason };
  return {
    kind: 'evaluated',
    ...base,
    breached: outcome.breached,
    severity: outcome.severity,
    threshold: outcome.threshold,
    observed: outcome.observed,
  };
}
