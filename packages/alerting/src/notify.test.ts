import { NotificationPolicySchema, type NotificationPolicyInput } from '@vigil/contracts';
import { describe, expect, it } from 'vitest';
import type { NotifiableAlert } from './notifiable.js';
import { planNotifications, type NotificationGroupState, type NotifyResult } from './notify.js';
import { matcherMatches, type Silence } from './silence.js';

const S = 1000;
const NOW = Date.UTC(2026, 5, 1, 12);
const policy = (input: NotificationPolicyInput = {}) => NotificationPolicySchema.parse(input);

function alert(fingerprint: string, overrides: Partial<NotifiableAlert> = {}): NotifiableAlert {
  return {
    fingerprint,
    ruleId: 'rule-1',
    ruleName: 'age missing',
    metric: 'missing_share',
    labels: { model: 'm1', version: 'v1', column: fingerprint, segment: '' },
    state: 'firing',
    severity: 'warning',
    value: 0.2,
    startedAt: NOW,
    acknowledged: false,
    noData: false,
    notifyOnResolve: true,
    channels: ['ch-1'],
    ...overrides,
  };
}

/** Plans at each time in turn, carrying the group state; `alertsAt(t)` gives the alerts then. */
function timeline(
  times: number[],
  alertsAt: (t: number) => NotifiableAlert[],
  opts: { silences?: Silence[]; policyInput?: NotificationPolicyInput } = {},
) {
  let groups: ReadonlyMap<string, NotificationGroupState> = new Map();
  const results: NotifyResult[] = [];
  for (const now of times) {
    const r = planNotifications({
      alerts: alertsAt(now),
      silences: opts.silences ?? [],
      policy: policy(opts.policyInput),
      groups,
      now,
    });
    groups = r.groups;
    results.push(r);
  }
  return results;
}
const kinds = (r: NotifyResult) =>
  r.notifications.map((n) => `${n.kind}:${n.alerts.map((a) => a.fingerprint).join('+')}`);

describe('group wait', () => {
  it('holds the first notification of a group for groupWaitSeconds', () => {
    const [first, early, due] = timeline([NOW, NOW + 29 * S, NOW + 30 * S], () => [alert('a')]);
    expect(kinds(first!)).toEqual([]);
    expect(first!.nextDueAt).toBe(NOW + 30 * S);
    expect(kinds(early!)).toEqual([]);
    expect(kinds(due!)).toEqual(['firing:a']);
  });

  it('sends alerts that fire during the wait in the same notification', () => {
    const [, due] = timeline([NOW, NOW + 30 * S], (t) =>
      t === NOW ? [alert('a')] : [alert('a'), alert('b')],
    );
    expect(kinds(due!)).toEqual(['firing:a+b']);
  });

  it('sends nothing for an alert that fired and cleared within the wait', () => {
    const results = timeline([NOW, NOW + 10 * S, NOW + 30 * S], (t) => [
      alert('a', { state: t === NOW ? 'firing' : 'ok' }),
    ]);
    expect(results.flatMap(kinds)).toEqual([]);
    expect(results[2]!.groups.size).toBe(0);
  });

  it('groups by model by default, one notification per model', () => {
    const [r] = timeline(
      [NOW],
      () => [
        alert('a'),
        alert('b', { labels: { model: 'm2', version: 'v1', column: 'b', segment: '' } }),
      ],
      {
        policyInput: { groupWaitSeconds: 0 },
      },
    );
    expect(r!.notifications.map((n) => [n.groupKey, n.groupLabels])).toEqual([
      ['{model="m1"}', { model: 'm1' }],
      ['{model="m2"}', { model: 'm2' }],
    ]);
  });

  it('groups by the labels the policy names', () => {
    const [r] = timeline([NOW], () => [alert('a'), alert('b', { severity: 'critical' })], {
      policyInput: { groupWaitSeconds: 0, groupBy: ['model', 'severity'] },
    });
    expect(r!.notifications.map((n) => n.groupKey)).toEqual([
      '{model="m1",severity="critical"}',
      '{model="m1",severity="warning"}',
    ]);
  });
});

describe('group interval', () => {
  it('sends later changes once groupIntervalSeconds have passed since the last notification', () => {
    const t1 = NOW + 30 * S;
    const results = timeline([NOW, t1, t1 + 60 * S, t1 + 299 * S, t1 + 300 * S], (t) =>
      t < t1 + 60 * S ? [alert('a')] : [alert('a'), alert('b')],
    );
    expect(results.map(kinds)).toEqual([[], ['firing:a'], [], [], ['firing:a+b']]);
    expect(results[2]!.nextDueAt).toBe(t1 + 300 * S);
  });

  it('notifies an escalation but not a de-escalation', () => {
    const t1 = NOW + 30 * S;
    const severityAt = (t: number) =>
      t < t1 + 400 * S ? 'warning' : t < t1 + 800 * S ? 'critical' : 'warning';
    const results = timeline([NOW, t1, t1 + 400 * S, t1 + 800 * S], (t) => [
      alert('a', { severity: severityAt(t) }),
    ]);
    expect(results.map(kinds)).toEqual([[], ['firing:a'], ['firing:a'], []]);
    expect(results[2]!.notifications[0]!.alerts[0]!.severity).toBe('critical');
  });
});

describe('repeat interval', () => {
  const t1 = NOW + 30 * S;

  it('repeats an unchanged firing group after repeatIntervalSeconds', () => {
    const results = timeline([NOW, t1, t1 + 4 * 3600 * S - 1, t1 + 4 * 3600 * S], () => [
      alert('a'),
    ]);
    expect(results.map(kinds)).toEqual([[], ['firing:a'], [], ['repeat:a']]);
    expect(results[1]!.nextDueAt).toBe(t1 + 4 * 3600 * S);
  });

  it('uses the smallest rule override in the group', () => {
    const results = timeline([NOW, t1, t1 + 3600 * S], () => [
      alert('a'),
      alert('b', { repeatIntervalSeconds: 3600 }),
    ]);
    expect(kinds(results[2]!)).toEqual(['repeat:a+b']);
  });

  it('does not repeat an acknowledged alert', () => {
    const results = timeline([NOW, t1, t1 + 5 * 3600 * S], (t) => [
      alert('a', { acknowledged: t > t1 }),
      alert('b'),
    ]);
    expect(kinds(results[2]!)).toEqual(['repeat:b']);
    const alone = timeline([NOW, t1, t1 + 5 * 3600 * S], (t) => [
      alert('a', { acknowledged: t > t1 }),
    ]);
    expect(kinds(alone[2]!)).toEqual([]);
    expect(alone[2]!.nextDueAt).toBeNull();
  });

  it('neither repeats nor resolves an alert whose data went missing', () => {
    const results = timeline([NOW, t1, t1 + 5 * 3600 * S], (t) => [
      alert('a', { state: t > t1 ? 'nodata' : 'firing' }),
    ]);
    expect(kinds(results[2]!)).toEqual([]);
    expect(results[2]!.groups.get('{model="m1"}')?.sent).toHaveProperty('a');
  });
});

describe('resolve notifications', () => {
  const t1 = NOW + 30 * S;

  it('tells the group when a sent alert resolves', () => {
    const results = timeline([NOW, t1, t1 + 300 * S], (t) => [
      alert('a', { state: t > t1 ? 'resolved' : 'firing' }),
    ]);
    expect(kinds(results[2]!)).toEqual(['resolved:a']);
    expect(results[2]!.groups.size).toBe(0);
  });

  it('also counts an alert that went on to ok before the notification as resolved', () => {
    const results = timeline([NOW, t1, t1 + 300 * S], (t) => [
      alert('a', { state: t > t1 ? 'ok' : 'firing' }),
    ]);
    expect(kinds(results[2]!)).toEqual(['resolved:a']);
  });

  it('stays silent about the resolve when the rule does not notify on resolve', () => {
    const results = timeline([NOW, t1, t1 + 300 * S], (t) => [
      alert('a', { state: t > t1 ? 'resolved' : 'firing', notifyOnResolve: false }),
    ]);
    expect(kinds(results[2]!)).toEqual([]);
    expect(results[2]!.groups.size).toBe(0);
  });

  it('sends the resolve of an acknowledged alert', () => {
    const results = timeline([NOW, t1, t1 + 300 * S], (t) => [
      alert('a', { state: t > t1 ? 'resolved' : 'firing', acknowledged: t > t1 }),
    ]);
    expect(kinds(results[2]!)).toEqual(['resolved:a']);
  });

  it('never sends a resolve for an alert it did not announce', () => {
    const results = timeline([NOW], () => [alert('a', { state: 'resolved' })], {
      policyInput: { groupWaitSeconds: 0 },
    });
    expect(kinds(results[0]!)).toEqual([]);
  });

  it('sends firing and resolved notifications side by side when both changed', () => {
    const results = timeline([NOW, t1, t1 + 300 * S], (t) =>
      t > t1 ? [alert('a', { state: 'resolved' }), alert('b')] : [alert('a')],
    );
    expect(kinds(results[2]!)).toEqual(['firing:b', 'resolved:a']);
  });
});

describe('acknowledgement', () => {
  it('leaves an acknowledged alert out of firing notifications', () => {
    const t1 = NOW + 30 * S;
    const results = timeline([NOW, t1, t1 + 300 * S], (t) =>
      t > t1 ? [alert('a', { acknowledged: true }), alert('b')] : [alert('a')],
    );
    expect(kinds(results[2]!)).toEqual(['firing:b']);
  });
});

describe('silences', () => {
  const silence = (
    matchers: Silence['matchers'],
    startsAt = NOW - 1,
    endsAt = NOW + 3600 * S,
  ): Silence => ({ matchers, startsAt, endsAt });
  const plan = (alerts: NotifiableAlert[], silences: Silence[], now = NOW) =>
    planNotifications({
      alerts,
      silences,
      policy: policy({ groupWaitSeconds: 0 }),
      groups: new Map(),
      now,
    });
  const sent = (r: NotifyResult) =>
    r.notifications.flatMap((n) => n.alerts.map((a) => a.fingerprint));

  it('mute alerts whose labels equal the value with =', () => {
    const r = plan([alert('a'), alert('b')], [silence([{ name: 'column', op: '=', value: 'a' }])]);
    expect(sent(r)).toEqual(['b']);
    expect(r.suppressed).toEqual([{ fingerprint: 'a', reason: 'silenced' }]);
  });

  it('mute alerts whose label differs with !=', () => {
    expect(
      sent(plan([alert('a'), alert('b')], [silence([{ name: 'column', op: '!=', value: 'a' }])])),
    ).toEqual(['a']);
  });

  it('match whole values with =~ and !~', () => {
    const alerts = [alert('age'), alert('age_bucket'), alert('income')];
    expect(sent(plan(alerts, [silence([{ name: 'column', op: '=~', value: 'age' }])]))).toEqual([
      'age_bucket',
      'income',
    ]);
    expect(sent(plan(alerts, [silence([{ name: 'column', op: '=~', value: 'age.*' }])]))).toEqual([
      'income',
    ]);
    expect(sent(plan(alerts, [silence([{ name: 'column', op: '!~', value: 'age.*' }])]))).toEqual([
      'age',
      'age_bucket',
    ]);
  });

  it('need every matcher to match, rule and severity included', () => {
    const s = silence([
      { name: 'rule', op: '=', value: 'rule-1' },
      { name: 'severity', op: '=', value: 'warning' },
    ]);
    expect(
      sent(
        plan(
          [alert('a'), alert('b', { severity: 'critical' }), alert('c', { ruleId: 'rule-2' })],
          [s],
        ),
      ),
    ).toEqual(['b', 'c']);
  });

  it('read a missing label as empty', () => {
    expect(sent(plan([alert('a')], [silence([{ name: 'team', op: '=', value: '' }])]))).toEqual([]);
  });

  it('apply only between startsAt and endsAt', () => {
    const s = silence([{ name: 'model', op: '=', value: 'm1' }], NOW + 10 * S, NOW + 20 * S);
    expect(sent(plan([alert('a')], [s], NOW))).toEqual(['a']);
    expect(sent(plan([alert('a')], [s], NOW + 10 * S))).toEqual([]);
    expect(sent(plan([alert('a')], [s], NOW + 20 * S))).toEqual(['a']);
  });

  it('with an invalid regex mute nothing', () => {
    expect(sent(plan([alert('a')], [silence([{ name: 'column', op: '=~', value: '(' }])]))).toEqual(
      ['a'],
    );
    expect(sent(plan([alert('a')], [silence([{ name: 'column', op: '!~', value: '(' }])]))).toEqual(
      ['a'],
    );
  });

  it('match in linear time: a catastrophic pattern against a 100 KB label', () => {
    const label = `${'a'.repeat(100_000)}!`;
    const catastrophic = { name: 'column', op: '=~', value: '(\\w|\\w|\\w|\\w)*#' } as const;
    // A backtracking engine would not finish even once; the best of three runs keeps a busy
    // shared machine's pauses out of the measurement of the match itself.
    const took: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      expect(matcherMatches(catastrophic, { column: label })).toBe(false);
      took.push(Date.now() - started);
    }
    expect(Math.min(...took)).toBeLessThan(50);
    expect(matcherMatches({ name: 'column', op: '=~', value: '(\\w|\\w)*!' }, { column: label })).toBe(true);
  });

  it('without matchers mute nothing', () => {
    expect(sent(plan([alert('a')], [silence([])]))).toEqual(['a']);
  });

  it('drop a sent alert without a resolve, and it is announced again when the silence expires', () => {
    const t1 = NOW + 30 * S;
    const s = silence([{ name: 'column', op: '=', value: 'a' }], t1 + 1, t1 + 3600 * S);
    const results = timeline([NOW, t1, t1 + 600 * S, t1 + 3600 * S], () => [alert('a')], {
      silences: [s],
    });
    expect(results.map(kinds)).toEqual([[], ['firing:a'], [], []]);
    expect(results[3]!.nextDueAt).toBe(t1 + 3630 * S);
    const after = timeline(
      [NOW, t1, t1 + 600 * S, t1 + 3600 * S, t1 + 3630 * S],
      () => [alert('a')],
      { silences: [s] },
    );
    expect(kinds(after[4]!)).toEqual(['firing:a']);
  });
});

describe('inhibition', () => {
  const noData = (overrides: Partial<NotifiableAlert> = {}) =>
    alert('volume', {
      metric: 'prediction_count',
      state: 'nodata',
      severity: null,
      noData: true,
      labels: { model: 'm1', version: '', column: '', segment: '' },
      ...overrides,
    });
  const plan = (alerts: NotifiableAlert[]) =>
    planNotifications({
      alerts,
      silences: [],
      policy: policy({ groupWaitSeconds: 0 }),
      groups: new Map(),
      now: NOW,
    });
  const sent = (r: NotifyResult) =>
    r.notifications.flatMap((n) => n.alerts.map((a) => a.fingerprint));

  const drift = alert('drift', { metric: 'drift_score' });
  const accuracy = alert('accuracy', { metric: 'accuracy' });
  const quality = alert('quality', { metric: 'missing_share' });

  it('mutes the drift and performance alerts of a model without data', () => {
    const r = plan([noData(), drift, accuracy, quality]);
    expect(sent(r)).toEqual(['quality']);
    expect(r.suppressed).toEqual([
      { fingerprint: 'drift', reason: 'inhibited' },
      { fingerprint: 'accuracy', reason: 'inhibited' },
    ]);
  });

  it('comes from a prediction_count alert firing on its no-data policy too', () => {
    expect(sent(plan([noData({ state: 'firing', severity: 'critical' }), drift]))).toEqual([
      'volume',
    ]);
  });

  it('does not come from a prediction_count alert firing on real data', () => {
    expect(
      sent(plan([noData({ state: 'firing', severity: 'warning', noData: false }), drift])),
    ).toEqual(['drift', 'volume']);
  });

  it('does not reach other models, nor other versions of a version-level source', () => {
    const other = alert('other', {
      metric: 'drift_score',
      labels: { model: 'm2', version: 'v1', column: 'x', segment: '' },
    });
    expect(sent(plan([noData(), other]))).toEqual(['other']);
    const v2 = alert('v2', {
      metric: 'accuracy',
      labels: { model: 'm1', version: 'v2', column: '', segment: '' },
    });
    expect(
      sent(plan([noData({ labels: { model: 'm1', version: 'v1', column: '', segment: '' } }), v2])),
    ).toEqual(['v2']);
  });
});
