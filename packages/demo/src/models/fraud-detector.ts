import { round, sigmoid, type Rng } from '../random.js';
import { HOUR_MS } from '../story.js';
import type { DemoModel } from './model.js';

const MERCHANTS = ['grocery', 'restaurants', 'fashion', 'electronics', 'travel', 'gaming'] as const;
const MERCHANT_WEIGHTS = [0.28, 0.2, 0.18, 0.14, 0.1, 0.1];
const MERCHANT_RISK: Record<string, number> = { grocery: -0.3, restaurants: -0.2, fashion: 0, electronics: 0.9, travel: 0.5, gaming: 0.8 };
const CHANNELS = ['web', 'app', 'pos'] as const;
const CHANNEL_WEIGHTS = [0.45, 0.35, 0.2];
const CHANNEL_RISK: Record<string, number> = { web: 0.5, app: 0, pos: -0.8 };
const COUNTRIES = ['DE', 'FR', 'ES', 'IT', 'NL', 'PL'] as const;
const COUNTRY_WEIGHTS = [0.3, 0.22, 0.15, 0.14, 0.1, 0.09];

/**
 * Risk ML's card-fraud classifier (binary). `amount` is log-normal (median ≈ 50); the story
 * shifts it up twice. The fraud outcome (`label`, 1 = fraud) is known about a day later.
 */
export const fraudDetector: DemoModel = {
  slug: 'fraud-detector',
  name: 'Fraud detector',
  task: 'binary',
  team: 'Risk ML',
  project: 'Fraud Detection',
  idPrefix: 'fd',
  segmentTag: 'country',
  columns: [
    { role: 'feature', name: 'amount', kind: 'numerical' },
    { role: 'feature', name: 'account_age_days', kind: 'numerical' },
    { role: 'feature', name: 'customer_age', kind: 'numerical' },
    { role: 'feature', name: 'merchant_category', kind: 'categorical' },
    { role: 'feature', name: 'channel', kind: 'categorical' },
    { role: 'feature', name: 'country', kind: 'categorical' },
    { role: 'prediction', name: 'prediction', kind: 'numerical' },
    { role: 'score', name: 'score', kind: 'numerical' },
  ],
  volume: { mean: 760, amplitude: 0.28, peakHourUtc: 14 },
  changedFeatures: ['amount'],
  draw(rng: Rng, phase) {
    const logAmount = 3.9 + 0.85 * rng.normal() + phase.amountShift;
    const amount = round(Math.exp(logAmount), 2);
    const accountAge = Math.round(-600 * Math.log(1 - rng.uniform()));
    const customerAge = Math.min(90, Math.max(18, Math.round(41 + 13 * rng.normal())));
    const merchant = rng.pick(MERCHANTS, MERCHANT_WEIGHTS);
    const channel = rng.pick(CHANNELS, CHANNEL_WEIGHTS);
    const country = rng.pick(COUNTRIES, COUNTRY_WEIGHTS);
    // The true risk: large amounts, new accounts, risky merchants and web checkouts.
    const risk =
      -4.6 + 1.1 * (Math.log(amount) - 3.9) + (accountAge < 30 ? 1.8 : 0) + (customerAge < 25 ? 0.4 : 0) + MERCHANT_RISK[merchant]! + CHANNEL_RISK[channel]!;
    const isFraud = rng.chance(sigmoid(risk)) ? 1 : 0;
    // The model sees the same signals, a little blurred, and is better than them alone (it also
    // reads signals this demo leaves out): ROC AUC ≈ 0.98; at 0.5, precision ≈ 0.93, recall ≈ 0.43.
    const score = round(sigmoid(risk + 0.6 * rng.normal() + (isFraud ? 2.6 : 0)), 4);
    return {
      features: { amount, account_age_days: accountAge, customer_age: customerAge, merchant_category: merchant, channel, country },
      prediction: score >= 0.5 ? 1 : 0,
      scores: score,
      tags: { country },
      label: rng.chance(0.97) ? { value: isFraud, delayMs: Math.round(rng.between(20, 30) * HOUR_MS) } : undefined,
    };
  },
};
