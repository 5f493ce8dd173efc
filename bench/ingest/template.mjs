// The ingest benchmarks' request body: 100 events × 10 features, ids carrying `@@`, which is
// replaced by a per-request unique token.
export const EVENTS = 100;

/** One request body template: ids carry `@@` which is replaced by a per-request unique token. */
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
