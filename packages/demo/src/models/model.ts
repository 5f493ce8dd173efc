import type { DriftSettings } from '@vigil/contracts';
import type { StoredColumn } from '@vigil/db';
import type { Rng } from '../random.js';
import { within, type Story } from '../story.js';

/** What the story changes at a moment; each model reads its own fields. */
export interface Phase {
  /** added to fraud-detector's log(amount) */
  amountShift: number;
  /** share of ticket-router's tickets about the new product */
  newProductShare: number;
  /** share of delivery-eta's orders without a distance */
  missingDistanceShare: number;
}

/** log(amount) shift of the drift going on now (+65 % on every amount) and of the past one (+57 %). */
export const FRAUD_CURRENT_SHIFT = 0.5;
export const FRAUD_PAST_SHIFT = 0.45;
export const NEW_PRODUCT_SHARE = 0.35;
export const MISSING_DISTANCE_SHARE = 0.4;

/**
 * The drift options every demo model is saved with. Hour windows of 400–1,000 events against a
 * 10,000-row reference carry sampling noise of their own: the normed Wasserstein distance
 * between two samples of one distribution averages ≈ 1.2/√n (0.05 at 600 events) and passes the
 * default 0.1 in about 1 % of windows, so a month of hours would show dozens of false drifts.
 * At 0.3 for numerical columns pure noise stays below (its highest in the story ≈ 0.19) and the
 * story's shifts (≥ 0.5) stand out; categorical columns keep the default Jensen–Shannon 0.1.
 */
export const DEMO_DRIFT: DriftSettings = { perKind: { numerical: { threshold: 0.3 } } };

/** The undrifted world: what the references are drawn from. */
export const BASELINE: Phase = { amountShift: 0, newProductShare: 0, missingDistanceShare: 0 };

/** The story's effect at time `t` (epoch ms). */
export function phaseAt(t: number, story: Story): Phase {
  const e = story.episodes;
  return {
    amountShift: within(t, e.fraudCurrentDrift) ? FRAUD_CURRENT_SHIFT : within(t, e.fraudPastDrift) ? FRAUD_PAST_SHIFT : 0,
    newProductShare: within(t, e.ticketNewProduct) ? NEW_PRODUCT_SHARE : 0,
    missingDistanceShare: within(t, e.etaMissingDistance) ? MISSING_DISTANCE_SHARE : 0,
  };
}

export type FeatureValue = number | string | null;
export type LabelValue = number | string;

/** One drawn prediction, before it gets its id and time. */
export interface DrawnEvent {
  features: Record<string, FeatureValue>;
  prediction: LabelValue;
  scores?: number | Record<string, number>;
  tags: Record<string, string>;
  /** The ground truth and how long after the prediction it arrives; absent: never labelled. */
  label?: { value: LabelValue; delayMs: number };
}

export interface DemoModel {
  slug: string;
  name: string;
  task: 'binary' | 'multiclass' | 'regression';
  /** names of the team and project holding the model */
  team: string;
  project: string;
  /** prefix of every event id (ids are unique per project) */
  idPrefix: string;
  /** the tag whose values get segment metrics */
  segmentTag: string;
  /** columns as ingest registers them: features by name, `prediction`, scores by their keys */
  columns: StoredColumn[];
  /** events per hour: mean, relative daily swing, and the UTC hour of the daily peak */
  volume: { mean: number; amplitude: number; peakHourUtc: number };
  /** what the Data drift tab should call drifted, by episode; every other feature stays quiet */
  changedFeatures: readonly string[];
  draw(rng: Rng, phase: Phase): DrawnEvent;
}
