import { describe, expect, it } from 'vitest';
import { completeHours, exactVerdicts, hourIn, hourTouches, streamingVerdicts, type Verdict } from '../test/windows.js';
import { DEMO_MODELS } from './generate.js';
import type { DemoModel } from './models/model.js';
import { storyAt, type Span, type Story } from './story.js';

/*
 * The demo must tell the truth: no feature outside the injected episodes is ever called
 * drifted. For every complete hour of the 30 days, of every model, the exact report the
 * worker's recompute writes; for the model with the hourly drift rule, also the streaming
 * verdicts of its features and prediction (the rule reads "any column", and the alert
 * evaluator may judge an hour on its streaming points before the exact ones replace them).
 */

// Fixed anchors, so a failure names the same windows every run: two hours of the day (so other
// volumes), to show the margin is not the luck of one alignment.
const ANCHORS = [Date.UTC(2026, 4, 12, 14, 37, 11), Date.UTC(2026, 7, 3, 2, 5, 0)];

/** The loudest quiet verdict stays below this share of its threshold: a margin for other anchors and the worker's merges of minute profiles. */
const MARGIN = 0.8;

/** The spans in which the model's changed features may drift. */
function changeSpans(model: DemoModel, story: Story): Span[] {
  const e = story.episodes;
  if (model.slug === 'fraud-detector') return [e.fraudPastDrift, e.fraudCurrentDrift];
  if (model.slug === 'ticket-router') return [e.ticketNewProduct];
  return [e.etaMissingDistance];
}

/** How close a verdict came to drifting (every test here is a distance: the references are large). */
const closeness = (v: Verdict) => v.score / v.threshold;

function expectQuiet(model: DemoModel, story: Story, verdicts: Verdict[]) {
  const spans = changeSpans(model, story);
  const quiet = verdicts.filter((v) => !(model.changedFeatures.includes(v.column) && spans.some((s) => hourTouches(v.hour, s))));
  expect(quiet.every((v) => v.details.scoreKind === 'distance')).toBe(true);
  expect(quiet.filter((v) => v.drifted).map((v) => `${new Date(v.hour).toISOString()} ${v.column} ${v.score.toFixed(3)}`)).toEqual([]);
  const worst = quiet.reduce((a, b) => (closeness(b) > closeness(a) ? b : a));
  expect(closeness(worst), `closest call: ${worst.column} at ${new Date(worst.hour).toISOString()} (${worst.score.toFixed(3)})`).toBeLessThan(MARGIN);
}

describe.each(ANCHORS.map((a) => [new Date(a).toISOString(), storyAt(a)] as const))('story anchored at %s', (_name, story) => {
  it.each(DEMO_MODELS.map((m) => [m.slug, m] as const))('%s: exact hourly reports call no unchanged feature drifted', (_slug, model) => {
    const verdicts = exactVerdicts(model, story);
    // Every feature of every hour was tested.
    expect(verdicts.length).toBe(completeHours(story).length * model.columns.filter((c) => c.role === 'feature').length);
    expectQuiet(model, story, verdicts);
    const e = story.episodes;
    if (model.slug === 'fraud-detector') {
      // …and `amount` is drifted in every hour of both episodes.
      const episode = verdicts.filter((v) => v.column === 'amount' && (hourIn(v.hour, e.fraudPastDrift) || hourIn(v.hour, e.fraudCurrentDrift)));
      expect(episode).toHaveLength(3 * 24 + 6);
      expect(episode.filter((v) => !v.drifted).map((v) => new Date(v.hour).toISOString())).toEqual([]);
    }
    if (model.slug === 'ticket-router') {
      // The new product shows as drift in `product` from its first hour.
      const episode = verdicts.filter((v) => v.column === 'product' && hourIn(v.hour, e.ticketNewProduct));
      expect(episode).toHaveLength(4 * 24);
      expect(episode.every((v) => v.drifted)).toBe(true);
    }
  });

  it('fraud-detector: streaming verdicts of features and prediction stay quiet outside the drift episodes', () => {
    const model = DEMO_MODELS[0]!;
    const verdicts = streamingVerdicts(model, story);
    expect(new Set(verdicts.map((v) => v.column))).toContain('prediction:prediction');
    expectQuiet(model, story, verdicts);
    const current = verdicts.filter((v) => v.column === 'amount' && hourIn(v.hour, story.episodes.fraudCurrentDrift));
    expect(current).toHaveLength(6);
    expect(current.every((v) => v.drifted)).toBe(true);
  });
});
