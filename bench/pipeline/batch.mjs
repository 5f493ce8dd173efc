// The event shape of the pipeline benchmark: the ingest benchmark's 10 features, a binary
// prediction and a score.
export const EVENTS = 100;
export const COUNTRIES = ['DE', 'FR', 'US', 'JP', 'BR'];

export function features(i, rnd = Math.random) {
  return {
    amount: Math.round(rnd() * 100000) / 100,
    age: 18 + (i % 60),
    country: COUNTRIES[i % 5],
    device: i % 3 ? 'android' : 'ios',
    is_new: i % 2 === 0,
    score_a: rnd(),
    score_b: rnd(),
    items: i % 12,
    channel: i % 7 ? 'web' : 'store',
    hour: i % 24,
  };
}

/** One request body; ids carry `@@`, replaced by a per-request unique token. */
export function batchBody(tag) {
  const now = Date.now();
  const predictions = [];
  for (let i = 0; i < EVENTS; i++) {
    predictions.push({ id: `${tag}-@@-${i}`, model: 'bench', timestamp: now - (i % 50) * 1000, features: features(i), prediction: i % 2, scores: Math.random() });
  }
  return JSON.stringify({ predictions });
}

/** A reference dataset of the same columns as CSV. */
export function referenceCsv(rows) {
  const cols = Object.keys(features(0));
  const lines = [[...cols, 'prediction'].join(',')];
  for (let i = 0; i < rows; i++) {
    const f = features(i);
    lines.push([...cols.map((c) => f[c]), i % 2].join(','));
  }
  return lines.join('\n');
}
