import type { AlertSeverity } from '@vigil/contracts';
import { describe, expect, it } from 'vitest';
import { alertFingerprint } from './fingerprint.js';
import type { AlertRule } from './rule.js';
import {
  initialState,
  reevaluateLastWindow,
  step,
  type AlertInstanceState,
  type AlertTransition,
  type EvaluationInput,
  type WindowInput,
} from './state-machine.js';
import { HOUR, LABELS, T0, makeRule, readyAt } from './test/fixtures.js';

const breach = (
  i: number,
  severity: AlertSeverity = 'warning',
  value = severity === 'critical' ? 0.5 : 0.2,
): WindowInput => ({
  kind: 'evaluated',
  labels: LABELS,
  windowStart: T0 + i * HOUR,
  value,
  breached: true,
  severity,
  threshold: severity === 'critical' ? 0.3 : 0.1,
  observed: value,
});
const clear = (i: number, value = 0.01): WindowInput => ({
  kind: 'evaluated',
  labels: LABELS,
  windowStart: T0 + i * HOUR,
  value,
  breached: false,
  severity: null,
  threshold: 0.1,
  observed: value,
});
const skipped = (i: number): WindowInput => ({
  kind: 'skipped',
  labels: LABELS,
  windowStart: T0 + i * HOUR,
  value: 0.9,
  reason: 'low_label_coverage',
});
const NODATA: EvaluationInput = { kind: 'nodata', labels: LABELS };

/** Runs the inputs in order (window inputs at their ready time, no-data one hour after the previous step). */
function drive(rule: AlertRule, inputs: readonly EvaluationInput[], start?: AlertInstanceState) {
  let state = start;
  let now = T0;
  const states: AlertInstanceState[] = [];
  const transitions: (AlertTransition | undefined)[] = [];
  for (const input of inputs) {
    now = input.kind === 'nodata' ? now + HOUR : readyAt((input.windowStart - T0) / HOUR);
    const r = step(state, input, rule, now);
    state = r.next;
    states.push(r.next);
    transitions.push(r.transition);
  }
  return { states, transitions, last: states[states.length - 1]! };
}
const statesOf = (r: { states: AlertInstanceState[] }) => r.states.map((s) => s.state);
const moves = (r: { transitions: (AlertTransition | undefined)[] }) =>
  r.transitions.map((t) => (t ? `${t.from}→${t.to}` : '-'));

describe('for: consecutive breaching evaluations', () => {
  it('fires on the first breach when for is 0', () => {
    const r = drive(makeRule({ for: 0 }), [breach(0)]);
    expect(r.transitions[0]).toMatchObject({
      from: 'ok',
      to: 'firing',
      severity: 'warning',
      value: 0.2,
      at: readyAt(0),
      windowStart: T0,
    });
  });

  it('stays pending for `for` breaches and fires on the next one', () => {
    const r = drive(makeRule({ for: 2 }), [breach(0), breach(1), breach(2)]);
    expect(statesOf(r)).toEqual(['pending', 'pending', 'firing']);
    expect(moves(r)).toEqual(['ok→pending', '-', 'pending→firing']);
    expect(r.last.consecutive).toBe(3);
    expect(r.last.startedAt).toBe(readyAt(0));
  });

  it('returns to ok without firing when a breach streak is interrupted', () => {
    const r = drive(makeRule({ for: 2 }), [breach(0), breach(1), clear(2), breach(3), breach(4)]);
    expect(statesOf(r)).toEqual(['pending', 'pending', 'ok', 'pending', 'pending']);
    expect(r.last.consecutive).toBe(2);
  });

  it('leaves the count alone for a window that cannot be judged', () => {
    const r = drive(makeRule({ for: 1 }), [breach(0), skipped(1), breach(2)]);
    expect(statesOf(r)).toEqual(['pending', 'pending', 'firing']);
  });
});

describe('resolving', () => {
  it('resolves on the first clean evaluation and becomes ok on the next', () => {
    const r = drive(makeRule(), [breach(0), clear(1), clear(2)]);
    expect(moves(r)).toEqual(['ok→firing', 'firing→resolved', 'resolved→ok']);
    expect(r.states[1]).toMatchObject({
      state: 'resolved',
      severity: 'warning',
      resolvedAt: readyAt(1),
    });
    expect(r.last).toMatchObject({ state: 'ok', severity: null, resolvedAt: readyAt(1) });
  });

  it('starts a new episode at pending when a resolved alert breaches again', () => {
    const r = drive(makeRule({ for: 1 }), [breach(0), breach(1), clear(2), breach(3)]);
    expect(moves(r)).toEqual([
      'ok→pending',
      'pending→firing',
      'firing→resolved',
      'resolved→pending',
    ]);
    expect(r.last).toMatchObject({ consecutive: 1, startedAt: readyAt(3), resolvedAt: null });
  });

  it('forgets an acknowledgement when the episode ends', () => {
    const rule = makeRule();
    const firing = { ...drive(rule, [breach(0)]).last, acknowledgedAt: readyAt(0) + 1 };
    expect(step(firing, breach(1), rule, readyAt(1)).next.acknowledgedAt).toBe(readyAt(0) + 1);
    expect(step(firing, clear(1), rule, readyAt(1)).next.acknowledgedAt).toBeNull();
  });
});

describe('keepFiringFor', () => {
  it('keeps firing until the condition has been clear for keepFiringFor seconds of window time', () => {
    const r = drive(makeRule({ keepFiringFor: 2 * 3600 }), [breach(0), clear(1), clear(2)]);
    expect(statesOf(r)).toEqual(['firing', 'firing', 'resolved']);
    expect(moves(r)).toEqual(['ok→firing', '-', 'firing→resolved']);
  });

  it('does not resolve or re-fire when the condition flaps inside the window', () => {
    const r = drive(makeRule({ keepFiringFor: 2 * 3600 }), [
      breach(0),
      clear(1),
      breach(2),
      clear(3),
      breach(4),
      clear(5),
      clear(6),
    ]);
    expect(statesOf(r)).toEqual([
      'firing',
      'firing',
      'firing',
      'firing',
      'firing',
      'firing',
      'resolved',
    ]);
    expect(r.transitions.filter(Boolean)).toHaveLength(2);
  });

  it('resolves at once without keepFiringFor', () => {
    const r = drive(makeRule({ keepFiringFor: 0 }), [breach(0), clear(1), breach(2)]);
    expect(moves(r)).toEqual(['ok→firing', 'firing→resolved', 'resolved→firing']);
  });
});

describe('severity', () => {
  it('records an escalation while firing as a transition', () => {
    const r = drive(makeRule(), [
      breach(0, 'warning'),
      breach(1, 'critical'),
      breach(2, 'critical'),
    ]);
    expect(r.transitions[1]).toMatchObject({
      from: 'firing',
      to: 'firing',
      severity: 'critical',
      value: 0.5,
    });
    expect(r.transitions[2]).toBeUndefined();
  });

  it('records a de-escalation while firing as a transition too', () => {
    const r = drive(makeRule(), [breach(0, 'critical'), breach(1, 'warning')]);
    expect(r.transitions[1]).toMatchObject({ from: 'firing', to: 'firing', severity: 'warning' });
  });

  it('changes severity silently while pending and fires with the latest one', () => {
    const r = drive(makeRule({ for: 1 }), [breach(0, 'warning'), breach(1, 'critical')]);
    expect(r.transitions[1]).toMatchObject({ from: 'pending', to: 'firing', severity: 'critical' });
    const p = drive(makeRule({ for: 2 }), [breach(0, 'warning'), breach(1, 'critical')]);
    expect(p.transitions[1]).toBeUndefined();
    expect(p.last).toMatchObject({ state: 'pending', severity: 'critical' });
  });
});

describe('no-data policies', () => {
  it('ok: resolves a firing alert and cancels a pending one', () => {
    expect(drive(makeRule({ noData: 'ok' }), [breach(0), NODATA]).transitions[1]).toMatchObject({
      from: 'firing',
      to: 'resolved',
      value: null,
      windowStart: null,
    });
    expect(
      drive(makeRule({ noData: 'ok', for: 3 }), [breach(0), NODATA]).transitions[1],
    ).toMatchObject({ from: 'pending', to: 'ok' });
  });

  it('alerting: fires at critical at once, whatever `for` says', () => {
    const r = drive(makeRule({ noData: 'alerting', for: 5 }), [clear(0), NODATA]);
    expect(r.transitions[1]).toMatchObject({ from: 'ok', to: 'firing', severity: 'critical' });
    const escalated = drive(makeRule({ noData: 'alerting' }), [breach(0, 'warning'), NODATA]);
    expect(escalated.transitions[1]).toMatchObject({
      from: 'firing',
      to: 'firing',
      severity: 'critical',
    });
  });

  it('nodata: moves to the nodata state, which a later clean window turns to ok', () => {
    const r = drive(makeRule({ noData: 'nodata' }), [breach(0), NODATA, clear(5)]);
    expect(moves(r)).toEqual(['ok→firing', 'firing→nodata', 'nodata→ok']);
    expect(r.states[1]).toMatchObject({ severity: null, value: null, consecutive: 0 });
  });

  it('nodata: a breach after the gap counts `for` from one again', () => {
    const r = drive(makeRule({ noData: 'nodata', for: 1 }), [
      breach(0),
      breach(1),
      NODATA,
      breach(5),
      breach(6),
    ]);
    expect(moves(r)).toEqual([
      'ok→pending',
      'pending→firing',
      'firing→nodata',
      'nodata→pending',
      'pending→firing',
    ]);
  });

  it('keep: leaves the state as it was', () => {
    const r = drive(makeRule({ noData: 'keep' }), [breach(0), NODATA]);
    expect(r.transitions[1]).toBeUndefined();
    expect(r.last).toMatchObject({ state: 'firing', severity: 'warning', value: 0.2 });
    expect(r.last.noDataSince).not.toBeNull();
  });

  it('is applied once per gap, so repeated runs during a gap change nothing', () => {
    const rule = makeRule({ noData: 'ok' });
    const r = drive(rule, [breach(0), NODATA]);
    const again = step(r.last, NODATA, rule, readyAt(9));
    expect(again.transition).toBeUndefined();
    expect(again.next).toBe(r.last);
  });

  it('is armed again once data has come back', () => {
    const r = drive(makeRule({ noData: 'nodata' }), [breach(0), NODATA, breach(5), NODATA]);
    expect(moves(r)).toEqual(['ok→firing', 'firing→nodata', 'nodata→firing', 'firing→nodata']);
  });
});

describe('windows that cannot be judged', () => {
  it('are consumed without changing state, and low label coverage counts as missing data', () => {
    const rule = makeRule();
    const firing = drive(rule, [breach(0)]).last;
    const r = step(firing, skipped(1), rule, readyAt(1));
    expect(r.transition).toBeUndefined();
    expect(r.next).toMatchObject({
      state: 'firing',
      lastEvaluatedWindow: T0 + HOUR,
      lastDataWindow: T0,
    });
  });
});

describe('re-evaluating the last window', () => {
  const rule = makeRule({ for: 1 });

  it('does not count a recomputed window twice', () => {
    const pending = step(undefined, breach(0), rule, readyAt(0)).next;
    const r = reevaluateLastWindow(pending, breach(0, 'warning', 0.25), rule, readyAt(0) + 1000);
    expect(r.transition).toBeUndefined();
    expect(r.next).toMatchObject({
      state: 'pending',
      consecutive: 1,
      value: 0.25,
      startedAt: readyAt(0),
    });
  });

  it('resolves a fired alert whose window turns out clean', () => {
    const firing = drive(rule, [breach(0), breach(1)]).last;
    const r = reevaluateLastWindow(firing, clear(1), rule, readyAt(1) + 1000);
    expect(r.transition).toMatchObject({
      from: 'firing',
      to: 'resolved',
      severity: 'warning',
      at: readyAt(1) + 1000,
    });
  });

  it('fires when a clean window turns out to be the second breach in a row', () => {
    const ok = drive(rule, [breach(0), clear(1)]).last;
    expect(ok.state).toBe('ok');
    const r = reevaluateLastWindow(ok, breach(1), rule, readyAt(1) + 1000);
    expect(r.transition).toMatchObject({ from: 'ok', to: 'firing' });
    expect(r.next.consecutive).toBe(2);
  });

  it('does nothing for a window other than the last one', () => {
    const firing = drive(rule, [breach(0), breach(1)]).last;
    expect(reevaluateLastWindow(firing, clear(0), rule, readyAt(1)).next).toBe(firing);
  });
});

describe('initial state', () => {
  it('is ok with the fingerprint of the rule and labels', () => {
    expect(initialState('rule-1', LABELS)).toMatchObject({
      state: 'ok',
      consecutive: 0,
      fingerprint: alertFingerprint('rule-1', LABELS),
    });
  });
});
