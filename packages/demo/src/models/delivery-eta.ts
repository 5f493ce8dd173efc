import { round, type Rng } from '../random.js';
import { MINUTE_MS } from '../story.js';
import type { DemoModel } from './model.js';

const WEATHER = ['clear', 'cloudy', 'rain', 'snow'] as const;
const WEATHER_WEIGHTS = [0.5, 0.3, 0.15, 0.05];
const WEATHER_DELAY: Record<string, number> = { clear: 0, cloudy: 1, rain: 5, snow: 11 };
const REGIONS = ['north', 'south', 'east', 'west', 'central'] as const;
const REGION_WEIGHTS = [0.22, 0.2, 0.18, 0.18, 0.22];
const REGION_DELAY: Record<string, number> = { north: 1, south: 0, east: 2, west: 1, central: 4 };
/** What the model assumes when an order has no distance. */
const FALLBACK_DISTANCE_KM = 4.4;

/**
 * Growth's delivery-time regressor (minutes). When `distance_km` goes missing it falls back to
 * a typical distance, and its error grows. The actual delivery time (`label`) is known when
 * the order arrives, an hour or two later.
 */
export const deliveryEta: DemoModel = {
  slug: 'delivery-eta',
  name: 'Delivery ETA',
  task: 'regression',
  team: 'Growth',
  project: 'Logistics',
  idPrefix: 'eta',
  segmentTag: 'region',
  columns: [
    { role: 'feature', name: 'distance_km', kind: 'numerical' },
    { role: 'feature', name: 'items', kind: 'numerical' },
    { role: 'feature', name: 'courier_experience_months', kind: 'numerical' },
    { role: 'feature', name: 'weather', kind: 'categorical' },
    { role: 'feature', name: 'region', kind: 'categorical' },
    { role: 'prediction', name: 'prediction', kind: 'numerical' },
  ],
  volume: { mean: 580, amplitude: 0.25, peakHourUtc: 18 },
  changedFeatures: ['distance_km'],
  draw(rng: Rng, phase) {
    // Gamma(2, 2.2 km): the sum of two exponentials.
    const distance = round(-2.2 * (Math.log(1 - rng.uniform()) + Math.log(1 - rng.uniform())), 2);
    const items = 1 + rng.poisson(2.2);
    const experience = round(-18 * Math.log(1 - rng.uniform()), 1);
    const weather = rng.pick(WEATHER, WEATHER_WEIGHTS);
    const region = rng.pick(REGIONS, REGION_WEIGHTS);
    const actual = Math.max(
      5,
      12 + 3.1 * distance + 1.4 * items + WEATHER_DELAY[weather]! + REGION_DELAY[region]! + 0.1 * Math.max(0, 24 - experience) + 4 * rng.normal(),
    );
    const missing = phase.missingDistanceShare > 0 && rng.chance(phase.missingDistanceShare);
    const known = missing ? FALLBACK_DISTANCE_KM : distance;
    const eta = 12.5 + 3.0 * known + 1.3 * items + 0.9 * WEATHER_DELAY[weather]! + REGION_DELAY[region]! + 2.5 * rng.normal();
    return {
      features: { distance_km: missing ? null : distance, items, courier_experience_months: experience, weather, region },
      prediction: round(eta, 1),
      tags: { region },
      label: rng.chance(0.97) ? { value: round(actual, 1), delayMs: Math.round((actual + rng.between(15, 90)) * MINUTE_MS) } : undefined,
    };
  },
};
