#!/usr/bin/env node
// The TypeScript SDK doing what sustained.py does (the anchor of bench/sdk-python/run.mjs).
import { Vigil } from '@vigil/sdk';
import { benchFeatures } from '../support.mjs';

const [url, key, n = '200000'] = process.argv.slice(2);
const N = Number(n);
const inputs = Array.from({ length: 1_000 }, (_, i) => benchFeatures(i));
const vigil = new Vigil({ apiKey: key, endpoint: url, maxQueueSize: N, exitHooks: false });
const started = performance.now();
for (let i = 0; i < N; i++) {
  vigil.logPrediction({
    model: 'bench',
    features: inputs[i % 1_000],
    prediction: i % 2,
    scores: 0.3,
  });
  // Yield now and then, as a service between requests does, so delivery can run meanwhile.
  if (i % 1_000 === 999) await new Promise((r) => setImmediate(r));
}
const logged = performance.now();
await vigil.flush();
const done = performance.now();
const s = vigil.stats();
await vigil.shutdown();
console.log(
  JSON.stringify({
    events: N,
    seconds: +((done - started) / 1000).toFixed(3),
    eventsPerSecond: Math.round(N / ((done - started) / 1000)),
    loggingSeconds: +((logged - started) / 1000).toFixed(3),
    accepted: s.accepted,
    requests: s.requests,
    retries: s.retries,
    dropped: s.dropped,
  }),
);
