import { AlertState } from '@vigil/contracts';
import type { AlertLabelName, AlertSeverity, MetricName } from '@vigil/contracts';
import type { AlertLabels } from './fingerprint.js';
import type { AlertRule } from './rule.js';
import type { AlertInstanceState } from './state-machine.js';

/** An alert instance as the notification policy sees it. */
export interface NotifiableAlert {
  readonly fingerprint: string;
  readonly ruleId: string;
  readonly ruleName: string;
  readonly metric: MetricName;
  readonly labels: AlertLabels;
  readonly state: AlertState;
  readonly severity: AlertSeverity | null;
  readonly value: number | null;
  readonly startedAt: number | null;
  readonly acknowledged: boolean;
  /** The state comes from the no-data policy (the instance has no fresh data). */
  readonly noData: boolean;
  readonly notifyOnResolve: boolean;
  /** The rule's override of the team policy's repeat interval. */
  readonly repeatIntervalSeconds?: number;
  readonly channels: readonly string[];
}

export function toNotifiableAlert(rule: AlertRule, state: AlertInstanceState): NotifiableAlert {
  const def = rule.definition;
  return {
    fingerprint: state.fingerprint,
    ruleId: rule.id,
    ruleName: def.name,
    metric: def.metric,
    labels: state.labels,
    state: state.state,
    severity: state.severity,
    value: state.value,
    startedAt: state.startedAt,
    acknowledged: state.acknowledgedAt !== null,
    noData: state.noDataSince !== null,
    notifyOnResolve: def.notifyOnResolve,
    ...(def.repeatIntervalSeconds !== undefined
      ? { repeatIntervalSeconds: def.repeatIntervalSeconds }
      : {}),
    channels: def.channels,
  };
}

/** The labels silences match and groups are keyed by; `rule` is the rule id, `severity` '' when none. */
export function notificationLabels(alert: NotifiableAlert): Record<AlertLabelName, string> {
  return {
    rule: alert.ruleId,
    metric: alert.metric,
    model: alert.labels.model,
    version: alert.labels.version,
    column: alert.labels.column,
    segment: alert.labels.segment,
    severity: alert.severity ?? '',
  };
}

export function isFiring(alert: NotifiableAlert): boolean {
  return alert.state === AlertState.firing;
}
