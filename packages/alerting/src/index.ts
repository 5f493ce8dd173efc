export { alertFingerprint, type AlertLabels } from './fingerprint.js';
export type { AlertRule } from './rule.js';
export type { MetricPoint } from './series.js';
export {
  evaluateThreshold,
  historyDepth,
  type NotEvaluableReason,
  type ThresholdInput,
  type ThresholdOutcome,
  type ThresholdValue,
} from './threshold.js';
export {
  initialState,
  step,
  type AlertInstanceSnapshot,
  type AlertInstanceState,
  type AlertTransition,
  type EvaluationInput,
  type SkipReason,
  type StepResult,
  type WindowInput,
} from './state-machine.js';
export { evaluateRule, type RuleEvaluation, type RuleTransition } from './evaluate.js';
export { toNotifiableAlert, notificationLabels, type NotifiableAlert } from './notifiable.js';
export { isSilenced, matcherMatches, type Silence } from './silence.js';
export { inhibitedFingerprints } from './inhibition.js';
export {
  groupKeyOf,
  planNotifications,
  type Notification,
  type NotificationGroupState,
  type NotifyInput,
  type NotifyResult,
  type SentAlert,
  type Suppression,
} from './notify.js';
export { backtest, backtestClock, type FiringEpisode } from './backtest.js';
