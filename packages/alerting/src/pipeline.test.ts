import { NotificationPolicySchema } from '@vigil/contracts';
import { describe, expect, it } from 'vitest';
import { evaluateRule } from './evaluate.js';
import { toNotifiableAlert } from './notifiable.js';
import { planNotifications, type NotificationGroupState } from './notify.js';
import type { MetricPoint } from './series.js';
import type { AlertInstanceState } from './state-machine.js';
import { MINUTE, makeRule, point, readyAt } from './test/fixtures.js';

/** Evaluation followed by the notification policy, as the worker runs them. */
function worker() {
  const rule = makeRule();
  const policy = NotificationPolicySchema.parse({ groupWaitSeconds: 0 });
  let states: ReadonlyMap<string, AlertInstanceState> = new Map();
  let groups: ReadonlyMap<string, NotificationGroupState> = new Map();
  return (points: MetricPoint[], now: number) => {
    const evaluation = evaluateRule(rule, points, states, now);
    states = evaluation.instances;
    const alerts = [...states.values()].map((s) => toNotifiableAlert(rule, s));
    const plan = planNotifications({ alerts, silences: [], policy, groups, now });
    groups = plan.groups;
    return {
      transitions: evaluation.transitions.map((t) => `${t.from}→${t.to}`),
      sent: plan.notifications.map((n) => n.kind),
    };
  };
}

describe('late data end to end', () => {
  it('notifies only when a recomputed window changes the state', () => {
    const run = worker();
    const t = readyAt(0);
    expect(run([point(0, 0.2)], t)).toEqual({ transitions: ['ok→firing'], sent: ['firing'] });
    expect(run([point(0, 0.2)], t + MINUTE)).toEqual({ transitions: [], sent: [] });
    expect(run([point(0, 0.25)], t + 2 * MINUTE)).toEqual({ transitions: [], sent: [] });
    expect(run([point(0, 0.05)], t + 10 * MINUTE)).toEqual({
      transitions: ['firing→resolved'],
      sent: ['resolved'],
    });
    expect(run([point(0, 0.05), point(1, 0.05)], readyAt(1))).toEqual({
      transitions: ['resolved→ok'],
      sent: [],
    });
  });
});
