import { round, type Rng } from '../random.js';
import { HOUR_MS } from '../story.js';
import type { DemoModel } from './model.js';

export const TICKET_CLASSES = ['billing', 'technical', 'account', 'shipping'] as const;
type TicketClass = (typeof TICKET_CLASSES)[number];

const PRODUCTS = ['phone', 'laptop', 'tablet', 'watch'] as const;
const PRODUCT_WEIGHTS = [0.4, 0.3, 0.18, 0.12];
/** The product launched during the story: the router has never seen its tickets. */
export const NEW_PRODUCT = 'earbuds';
const PLANS = ['free', 'pro', 'enterprise'] as const;
const PLAN_WEIGHTS = [0.55, 0.33, 0.12];
/** Each product's mix of true ticket classes (billing, technical, account, shipping). */
const CLASS_MIX: Record<string, number[]> = {
  phone: [0.25, 0.4, 0.15, 0.2],
  laptop: [0.2, 0.45, 0.15, 0.2],
  tablet: [0.25, 0.35, 0.2, 0.2],
  watch: [0.2, 0.4, 0.15, 0.25],
  earbuds: [0.2, 0.15, 0.05, 0.6],
};

/**
 * Growth's support-ticket router (multiclass): billing, technical, account or shipping. Right
 * ~87 % of the time on the products it was trained on; the new product's tickets (mostly
 * shipping questions) it sends to technical. Agents correct the route 1–2 days later (`label`).
 */
export const ticketRouter: DemoModel = {
  slug: 'ticket-router',
  name: 'Ticket router',
  task: 'multiclass',
  team: 'Growth',
  project: 'Customer Support',
  idPrefix: 'tr',
  segmentTag: 'plan',
  columns: [
    { role: 'feature', name: 'message_length', kind: 'numerical' },
    { role: 'feature', name: 'sentiment', kind: 'numerical' },
    { role: 'feature', name: 'tenure_days', kind: 'numerical' },
    { role: 'feature', name: 'product', kind: 'categorical' },
    { role: 'feature', name: 'plan', kind: 'categorical' },
    { role: 'prediction', name: 'prediction', kind: 'categorical' },
    ...TICKET_CLASSES.map((name) => ({ role: 'score' as const, name, kind: 'numerical' as const })),
  ],
  volume: { mean: 540, amplitude: 0.2, peakHourUtc: 10 },
  changedFeatures: ['product'],
  draw(rng: Rng, phase) {
    const isNew = phase.newProductShare > 0 && rng.chance(phase.newProductShare);
    const product = isNew ? NEW_PRODUCT : rng.pick(PRODUCTS, PRODUCT_WEIGHTS);
    const plan = rng.pick(PLANS, PLAN_WEIGHTS);
    const messageLength = Math.round(Math.exp(5.3 + 0.55 * rng.normal()));
    const sentiment = round(Math.tanh(0.1 + 0.55 * rng.normal()), 3);
    const tenureDays = Math.round(-420 * Math.log(1 - rng.uniform()));
    const truth = rng.pick(TICKET_CLASSES, CLASS_MIX[product]!);
    let routed: TicketClass;
    if (!isNew) {
      routed = rng.chance(0.87) ? truth : otherClass(rng, truth);
    } else {
      const u = rng.uniform();
      routed = u < 0.6 ? 'technical' : u < 0.8 ? truth : rng.pick(TICKET_CLASSES, [1, 1, 1, 1]);
    }
    return {
      features: { message_length: messageLength, sentiment, tenure_days: tenureDays, product, plan },
      prediction: routed,
      scores: classScores(rng, routed),
      tags: { plan },
      label: rng.chance(0.9) ? { value: truth, delayMs: Math.round(rng.between(24, 48) * HOUR_MS) } : undefined,
    };
  },
};

function otherClass(rng: Rng, not: TicketClass): TicketClass {
  const others = TICKET_CLASSES.filter((c) => c !== not);
  return rng.pick(others, [1, 1, 1]);
}

/** Per-class probabilities summing to 1, highest for the routed class. */
function classScores(rng: Rng, routed: TicketClass): Record<string, number> {
  const top = rng.between(0.45, 0.95);
  const rest = TICKET_CLASSES.filter((c) => c !== routed).map(() => rng.between(0.05, 1));
  const sum = rest.reduce((a, b) => a + b, 0);
  const out: Record<string, number> = {};
  let i = 0;
  for (const c of TICKET_CLASSES) out[c] = c === routed ? round(top, 3) : round(((1 - top) * rest[i++]!) / sum, 3);
  return out;
}
