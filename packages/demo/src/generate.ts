import { deliveryEta } from './models/delivery-eta.js';
import { fraudDetector } from './models/fraud-detector.js';
import { BASELINE, phaseAt, type DemoModel, type FeatureValue, type LabelValue } from './models/model.js';
import { ticketRouter } from './models/ticket-router.js';
import { hashSeed, Rng } from './random.js';
import { floorHour, HOUR_MS, type Story } from './story.js';

/** The three demo models, in the order they are seeded. */
export const DEMO_MODELS: readonly DemoModel[] = [fraudDetector, ticketRouter, deliveryEta];

/** One prediction of the demo world, with its ground truth and when that arrives. */
export interface DemoEvent {
  id: string;
  /** epoch ms */
  time: number;
  features: Record<string, FeatureValue>;
  prediction: LabelValue;
  scores?: number | Record<string, number>;
  tags: Record<string, string>;
  /** absent: never labelled */
  label?: { value: LabelValue; time: number };
}

/** Rows of each model's uploaded training reference. */
export const REFERENCE_ROWS = 10_000;

/**
 * Events a model receives in the UTC hour starting at `hourStart`: a daily swing around its
 * mean, ±3 % from hour to hour, times `scale`.
 */
export function hourlyVolume(model: DemoModel, hourStart: number, rng: Rng, scale = 1): number {
  const hourOfDay = new Date(hourStart).getUTCHours();
  const { mean, amplitude, peakHourUtc } = model.volume;
  const daily = 1 + amplitude * Math.cos((2 * Math.PI * (hourOfDay - peakHourUtc)) / 24);
  return Math.round(mean * daily * rng.between(0.97, 1.03) * scale);
}

/**
 * Every event of the model in one UTC hour, in time order. The hour is a pure function of
 * (model, hour, story, scale): the seed writes the part before the anchor and the simulator
 * sends the rest as it happens, with the same ids, so nothing is ever written twice.
 */
export function generateHour(model: DemoModel, hourStart: number, story: Story, scale = 1): DemoEvent[] {
  const start = floorHour(hourStart);
  const hourIndex = start / HOUR_MS;
  const rng = new Rng(hashSeed(model.slug, hourIndex));
  const n = hourlyVolume(model, start, rng, scale);
  const offsets = new Float64Array(n);
  for (let i = 0; i < n; i++) offsets[i] = Math.floor(rng.uniform() * HOUR_MS);
  offsets.sort();
  const events = new Array<DemoEvent>(n);
  for (let i = 0; i < n; i++) {
    const time = start + offsets[i]!;
    const drawn = model.draw(rng, phaseAt(time, story));
    events[i] = {
      id: `${model.idPrefix}-${hourIndex}-${i}`,
      time,
      features: drawn.features,
      prediction: drawn.prediction,
      ...(drawn.scores !== undefined ? { scores: drawn.scores } : {}),
      tags: drawn.tags,
      ...(drawn.label ? { label: { value: drawn.label.value, time: time + drawn.label.delayMs } } : {}),
    };
  }
  return events;
}

/** Start times of the history hours: from the story's first hour up to the anchor's (included). */
export function historyHours(story: Story): number[] {
  const out: number[] = [];
  for (let h = story.historyStart; h <= floorHour(story.anchor); h += HOUR_MS) out.push(h);
  return out;
}

/** The events of one history hour that happened before the anchor. */
export function historyHour(model: DemoModel, hourStart: number, story: Story, scale = 1): DemoEvent[] {
  const events = generateHour(model, hourStart, story, scale);
  return hourStart + HOUR_MS <= story.anchor ? events : events.filter((e) => e.time < story.anchor);
}

/**
 * The model's training reference: rows drawn from the undrifted world, with the columns an
 * upload carries — features by name, `prediction` and `label`. Score columns are left out: an
 * uploaded column other than prediction/label/target is registered as a feature.
 */
export function generateReference(model: DemoModel, rows = REFERENCE_ROWS): Record<string, FeatureValue | LabelValue>[] {
  const rng = new Rng(hashSeed(model.slug, 'reference'));
  const out: Record<string, FeatureValue | LabelValue>[] = [];
  while (out.length < rows) {
    const e = model.draw(rng, BASELINE);
    // A training set holds labelled rows only.
    if (!e.label) continue;
    out.push({ ...e.features, prediction: e.prediction, label: e.label.value });
  }
  return out;
}
