// The ingest benchmarks' request body: 100 events × 10 features, ids carrying `@@`, which is
// replaced by a fresh id per event.
import { randomUUID } from 'node:crypto';
import { uuidv7 } from '@vigil/sdk';

export const EVENTS = 100;

/**
 * Id kinds: `v7` (default) as the SDK fills them in, time-ordered; `v4`, random, as a service
 * that draws its own random UUIDs would send them — the worst case for the key index.
 */
export const ID_KINDS = { v7: () => uuidv7(), v4: () => randomUUID() };

/** Returns a function giving a copy of `body` (from template()) with a new id for every event. */
export function withFreshIds(body, kind = 'v7') {
  const next = ID_KINDS[kind];
  if (!next) throw new Error(`unknown id kind ${kind}; use ${Object.keys(ID_KINDS).join(' or ')}`);
  const parts = body.split('@@');
  return () => {
    let out = parts[0];
    for (let i = 1; i < parts.length; i++) out += next() + parts[i];
    return out;
  };
}

/** One request body template: each id carries `@@`, which withFreshIds replaces. */
export function template() {
  const now = Date.now();
  const items = [];
  for (let i = 0; i < EVENTS; i++) {
    items.push({
      id: `@@-${i}`,
      model: 'bench',
      timestamp: now - (i % 50) * 1000,
      features: {
        amount: Math.round(Math.random() * 100000) / 100,
        age: 18 + (i % 60),
        country: ['DE', 'FR', 'US', 'JP', 'BR'][i % 5],
        device: i % 3 ? 'android' : 'ios',
        is_new: i % 2 === 0,
        score_a: Math.random(),
        score_b: Math.random(),
        items: i % 12,
        channel: i % 7 ? 'web' : 'store',
        hour: i % 24,
      },
      prediction: i % 2,
      scores: Math.random(),
    });
  }
  return JSON.stringify({ predictions: items });
}
