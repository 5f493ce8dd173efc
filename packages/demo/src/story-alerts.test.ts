import { evaluateRule, type AlertRule, type MetricPoint } from '@vigil/alerting';
import { AlertRuleDefinitionSchema } from '@vigil/contracts';
import { describe, expect, it } from 'vitest';
import { completeHours, exactVerdicts, referenceTable, schemaOf, streamingVerdicts, windowReport } from '../test/windows.js';
import { historyHour } from './generate.js';
import { deliveryEta } from './models/delivery-eta.js';
import { fraudDetector } from './models/fraud-detector.js';
import { ticketRouter } from './models/ticket-router.js';
import { demoRules } from './rules.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, storyAt } from './story.js';

/*
 * What the Alerts page shows once the worker has processed the history: the story's rules
 * (as the seed saves them) evaluated by @vigil/alerting over the points the worker writes for
 * the seeded windows — computed here in memory — as the evaluator meets a new rule (the last
 * day of hours, the last week of days). One alert fires (fraud-detector's drift in `amount`),
 * one has resolved (delivery-eta's missing distances), nothing else is pending or firing.
 */

const ANCHOR = Date.UTC(2026, 4, 12, 14, 37, 11);
const story = storyAt(ANCHOR);
const NOW = ANCHOR + 10 * MINUTE_MS;
const project = (slug: string) => `project-${slug}`;
const base = (slug: string, granularity: 'hour' | 'day', windowStart: number) => ({
  segment: '',
  modelId: slug,
  modelVersionId: `${slug}-default`,
  projectId: project(slug),
  granularity,
  windowStart,
  ready: true,
});

/** The hour points the rules read: drift verdicts of fraud-detector, missing shares of delivery-eta. */
function hourPoints(): MetricPoint[] {
  const hours = completeHours(story).filter((h) => h >= ANCHOR - 30 * HOUR_MS);
  const points: MetricPoint[] = [];
  // Features: the exact verdicts (the streaming ones are as quiet, see quiet-features.test.ts); the prediction: streaming only.
  const verdicts = [...exactVerdicts(fraudDetector, story, hours), ...streamingVerdicts(fraudDetector, story, hours).filter((v) => v.column.includes(':'))];
  for (const v of verdicts) points.push({ ...base(fraudDetector.slug, 'hour', v.hour), metric: 'drift_detected', column: v.column, value: v.drifted ? 1 : 0, details: v.details });
  const columns = schemaOf(deliveryEta);
  const reference = referenceTable(deliveryEta, columns);
  for (const h of hours) {
    const { report } = windowReport(historyHour(deliveryEta, h, story), columns, reference, ANCHOR);
    for (const c of report.columns) {
      const value = c.quality.missingShare;
      if (c.name.startsWith('__') || value === null) continue;
      points.push({ ...base(deliveryEta.slug, 'hour', h), metric: 'missing_share', column: c.name, value });
    }
  }
  return points;
}

/** ticket-router's day points: accuracy and label coverage of the last week's complete UTC days, with the labels known by now. */
function dayPoints(): MetricPoint[] {
  const today = ANCHOR - (ANCHOR % DAY_MS);
  const columns = schemaOf(ticketRouter);
  const reference = referenceTable(ticketRouter, columns);
  const points: MetricPoint[] = [];
  for (let day = today - 8 * DAY_MS; day < today; day += DAY_MS) {
    const events = [];
    for (let h = day; h < day + DAY_MS; h += HOUR_MS) events.push(...historyHour(ticketRouter, h, story));
    const { report, rows, labelled } = windowReport(events, columns, reference, ANCHOR);
    points.push({ ...base(ticketRouter.slug, 'day', day), metric: 'label_coverage', column: '', value: labelled / rows });
    const perf = report.performance?.current;
    if (perf && 'accuracy' in perf && perf.accuracy !== null) points.push({ ...base(ticketRouter.slug, 'day', day), metric: 'accuracy', column: '', value: perf.accuracy });
  }
  return points;
}

describe('the story’s alerts', () => {
  const points = [...hourPoints(), ...dayPoints()];
  const results = demoRules(project).map(({ rule }, i) => {
    const r: AlertRule = { id: `rule-${i}`, definition: AlertRuleDefinitionSchema.parse(rule) };
    return { name: r.definition.name, ...evaluateRule(r, points, new Map(), NOW) };
  });
  const instances = (name: string) => [...results.find((r) => r.name === name)!.instances.values()];

  it('fraud-detector: "Feature drift" fires on amount, and on nothing else', () => {
    const all = instances('Feature drift');
    // Every feature and the prediction were judged.
    expect(all.map((s) => s.labels.column).sort()).toEqual([...fraudDetector.columns.filter((c) => c.role === 'feature').map((c) => c.name), 'prediction:prediction'].sort());
    expect(all.filter((s) => s.state !== 'ok').map((s) => [s.labels.column, s.state])).toEqual([['amount', 'firing']]);
    // It went pending at the first drifted hour and fired at the second (`for: 1`).
    const firing = all.find((s) => s.labels.column === 'amount')!;
    expect(firing.lastEvaluatedWindow).toBe(story.episodes.fraudCurrentDrift.from + 5 * HOUR_MS);
    expect(firing.consecutive).toBe(6);
  });

  it('delivery-eta: "Missing distances" fired critical 12 hours back and resolved 8 hours back', () => {
    const r = results.find((x) => x.name === 'Missing distances')!;
    expect([...r.instances.values()].map((s) => s.labels.column)).toEqual(['distance_km']);
    const moves = r.transitions.map((t) => [t.from, t.to, t.severity, new Date(t.windowStart!).toISOString()]);
    const e = story.episodes.etaMissingDistance;
    expect(moves).toEqual([
      ['ok', 'firing', 'critical', new Date(e.from).toISOString()],
      ['firing', 'resolved', 'critical', new Date(e.to).toISOString()],
      ['resolved', 'ok', null, new Date(e.to + HOUR_MS).toISOString()],
    ]);
    const [state] = r.instances.values();
    expect(state).toMatchObject({ state: 'ok', resolvedAt: NOW });
  });

  it('ticket-router: "Accuracy drop" judges the labelled days and stays quiet: the drop shows, above the guard', () => {
    const r = results.find((x) => x.name === 'Accuracy drop')!;
    expect(r.transitions).toEqual([]);
    const accuracy = points.filter((p) => p.metric === 'accuracy');
    const coverage = new Map(points.filter((p) => p.metric === 'label_coverage').map((p) => [p.windowStart, p.value]));
    const judged = accuracy.filter((p) => coverage.get(p.windowStart)! >= 0.5);
    // Days after the launch, labelled 1–2 days late, show the drop; the last day is not judged yet.
    const after = judged.filter((p) => p.windowStart >= story.episodes.ticketNewProduct.from);
    const before = judged.filter((p) => p.windowStart + DAY_MS <= story.episodes.ticketNewProduct.from);
    expect(after.length).toBeGreaterThanOrEqual(2);
    expect(before.length).toBeGreaterThanOrEqual(3);
    expect(Math.min(...before.map((p) => p.value)) - Math.max(...after.map((p) => p.value))).toBeGreaterThan(0.15);
    expect(Math.min(...after.map((p) => p.value))).toBeGreaterThan(0.65);
    expect(coverage.get(ANCHOR - (ANCHOR % DAY_MS) - DAY_MS)).toBeLessThan(0.5);
  });
});
