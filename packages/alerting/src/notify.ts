import { AlertState, NotificationKind } from '@vigil/contracts';
import type { AlertLabelName, AlertSeverity, NotificationPolicy } from '@vigil/contracts';
import { inhibitedFingerprints } from './inhibition.js';
import { isFiring, notificationLabels, type NotifiableAlert } from './notifiable.js';
import { isSilenced, type Silence } from './silence.js';

/** What a group last told its receivers about one alert. */
export interface SentAlert {
  readonly state: typeof AlertState.firing;
  readonly severity: AlertSeverity;
}

/** Per-group notification state; the worker persists it between runs. */
export interface NotificationGroupState {
  readonly groupKey: string;
  readonly groupLabels: Readonly<Record<string, string>>;
  /** When a change not yet notified was first seen (null: nothing waiting). */
  readonly pendingSince: number | null;
  readonly lastSentAt: number | null;
  /** Alerts announced as firing and not yet resolved, by fingerprint. */
  readonly sent: Readonly<Record<string, SentAlert>>;
}

export interface Notification {
  readonly groupKey: string;
  readonly groupLabels: Readonly<Record<string, string>>;
  readonly kind: NotificationKind;
  /** Sorted by fingerprint. Each alert names its rule's channels. */
  readonly alerts: readonly NotifiableAlert[];
}

export interface Suppression {
  readonly fingerprint: string;
  readonly reason: 'silenced' | 'inhibited';
}

export interface NotifyInput {
  /**
   * Current state of the team's alert instances: at least every non-ok one and every one a
   * group has sent. A sent alert missing here is forgotten without a notification (its rule
   * was deleted).
   */
  readonly alerts: readonly NotifiableAlert[];
  readonly silences: readonly Silence[];
  readonly policy: NotificationPolicy;
  readonly groups: ReadonlyMap<string, NotificationGroupState>;
  readonly now: number;
}

export interface NotifyResult {
  /** Due now, in order of group key, then firing → resolved → repeat. */
  readonly notifications: Notification[];
  /** Groups with nothing sent and nothing waiting are dropped: the next alert starts a new group. */
  readonly groups: Map<string, NotificationGroupState>;
  readonly suppressed: Suppression[];
  /** Earliest time something may become due without new input (group wait, interval, repeat). */
  readonly nextDueAt: number | null;
}

const SEVERITY_RANK: Record<AlertSeverity, number> = { warning: 1, critical: 2 };

export function groupKeyOf(alert: NotifiableAlert, groupBy: readonly AlertLabelName[]): string {
  const labels = notificationLabels(alert);
  return `{${groupBy.map((name) => `${name}=${JSON.stringify(labels[name])}`).join(',')}}`;
}

function groupLabelsOf(
  alert: NotifiableAlert,
  groupBy: readonly AlertLabelName[],
): Record<string, string> {
  const labels = notificationLabels(alert);
  return Object.fromEntries(groupBy.map((name) => [name, labels[name]]));
}

/**
 * Which notifications are due at `now`, in the manner of Alertmanager:
 * - alerts are grouped by `policy.groupBy`; silenced and inhibited alerts take no part (a sent
 *   alert that becomes suppressed is dropped without a resolve, and is new again afterwards);
 * - a change is a newly firing alert, an escalation (warning → critical) or a resolution of a
 *   sent alert (only if its rule notifies on resolve); a de-escalation waits for the next message;
 * - the first notification of a group waits `groupWaitSeconds` from the first change, later
 *   ones go out once `groupIntervalSeconds` have passed since the group's last notification;
 * - an unchanged group repeats its unacknowledged firing alerts every repeat interval (the
 *   smallest rule override among them, else the policy's);
 * - acknowledged alerts are left out of firing and repeat notifications, not of their resolve;
 * - a sent alert now in `nodata` is neither repeated nor resolved until its state is known.
 */
export function planNotifications(input: NotifyInput): NotifyResult {
  const { alerts, silences, policy, now } = input;
  const groupBy = policy.groupBy;
  const byFingerprint = new Map(alerts.map((a) => [a.fingerprint, a]));
  const inhibited = inhibitedFingerprints(alerts);

  const suppressed: Suppression[] = [];
  const muted = new Set<string>();
  for (const alert of byFingerprint.values()) {
    if (isSilenced(silences, notificationLabels(alert), now))
      suppressed.push({ fingerprint: alert.fingerprint, reason: 'silenced' });
    else if (inhibited.has(alert.fingerprint))
      suppressed.push({ fingerprint: alert.fingerprint, reason: 'inhibited' });
    else continue;
    muted.add(alert.fingerprint);
  }

  const members = new Map<string, NotifiableAlert[]>();
  for (const alert of byFingerprint.values()) {
    const key = groupKeyOf(alert, groupBy);
    const list = members.get(key);
    if (list) list.push(alert);
    else members.set(key, [alert]);
  }
  const keys = new Set(input.groups.keys());
  for (const [key, list] of members)
    if (list.some((a) => isFiring(a) && !muted.has(a.fingerprint))) keys.add(key);

  const notifications: Notification[] = [];
  const groups = new Map<string, NotificationGroupState>();
  let nextDueAt: number | null = null;
  const dueLater = (at: number) => {
    nextDueAt = nextDueAt === null ? at : Math.min(nextDueAt, at);
  };

  for (const key of [...keys].sort()) {
    const prev = input.groups.get(key);
    const list = (members.get(key) ?? []).sort(byFingerprintOrder);
    const first = list[0];
    const groupLabels = prev?.groupLabels ?? (first ? groupLabelsOf(first, groupBy) : {});
    const sent: Record<string, SentAlert> = { ...(prev?.sent ?? {}) };
    let pendingSince = prev?.pendingSince ?? null;
    let lastSentAt = prev?.lastSentAt ?? null;

    const active = list.filter((a) => isFiring(a) && !muted.has(a.fingerprint));
    const changed = active.filter((a) => {
      if (a.acknowledged || a.severity === null) return false;
      const before = sent[a.fingerprint];
      return before === undefined || SEVERITY_RANK[a.severity] > SEVERITY_RANK[before.severity];
    });
    const resolved: NotifiableAlert[] = [];
    for (const fingerprint of Object.keys(sent).sort()) {
      const alert = byFingerprint.get(fingerprint);
      if (!alert || muted.has(fingerprint) || groupKeyOf(alert, groupBy) !== key) {
        delete sent[fingerprint];
      } else if (alert.state !== AlertState.firing && alert.state !== AlertState.nodata) {
        if (alert.notifyOnResolve) resolved.push(alert);
        else delete sent[fingerprint];
      }
    }

    const message = (kind: NotificationKind, list: readonly NotifiableAlert[]) =>
      notifications.push({ groupKey: key, groupLabels, kind, alerts: list });
    const toRepeat = () =>
      active.filter((a) => !a.acknowledged && sent[a.fingerprint] !== undefined);
    const repeatMs = (list: readonly NotifiableAlert[]) =>
      Math.min(...list.map((a) => a.repeatIntervalSeconds ?? policy.repeatIntervalSeconds)) * 1000;
    const announce = (list: readonly NotifiableAlert[]) => {
      for (const a of list)
        if (a.severity !== null)
          sent[a.fingerprint] = { state: AlertState.firing, severity: a.severity };
    };

    if (changed.length > 0 || resolved.length > 0) {
      pendingSince ??= now;
      // A group with nothing announced is new: wait to collect what fires together.
      const dueAt =
        lastSentAt === null || Object.keys(sent).length === 0
          ? pendingSince + policy.groupWaitSeconds * 1000
          : Math.max(pendingSince, lastSentAt + policy.groupIntervalSeconds * 1000);
      if (now >= dueAt) {
        if (changed.length > 0) {
          const firing = active.filter((a) => !a.acknowledged);
          message(NotificationKind.firing, firing);
          announce(firing);
        }
        if (resolved.length > 0) {
          message(NotificationKind.resolved, resolved);
          for (const a of resolved) delete sent[a.fingerprint];
        }
        lastSentAt = now;
        pendingSince = null;
      } else {
        dueLater(dueAt);
      }
    } else {
      // What was waiting went away (fired and cleared within the wait): nothing to send.
      pendingSince = null;
      const repeat = toRepeat();
      if (repeat.length > 0 && lastSentAt !== null && now - lastSentAt >= repeatMs(repeat)) {
        message(NotificationKind.repeat, repeat);
        announce(repeat);
        lastSentAt = now;
      }
    }

    if (pendingSince === null) {
      const repeat = toRepeat();
      if (repeat.length > 0 && lastSentAt !== null) dueLater(lastSentAt + repeatMs(repeat));
    }
    if (Object.keys(sent).length > 0 || pendingSince !== null) {
      groups.set(key, { groupKey: key, groupLabels, pendingSince, lastSentAt, sent });
    }
  }
  return { notifications, groups, suppressed, nextDueAt };
}

function byFingerprintOrder(a: NotifiableAlert, b: NotifiableAlert): number {
  return a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0;
}
