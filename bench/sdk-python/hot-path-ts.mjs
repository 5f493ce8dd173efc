#!/usr/bin/env node
// The TypeScript SDK's logPrediction measured as hot_path.py measures log_prediction (the same
// inputs, blocks of 20,000 calls, minimum and median): the anchor of bench/sdk-python/run.mjs.
import { Vigil } from '@vigil/sdk';
import { benchFeatures } from '../support.mjs';

const N = Number(process.argv[2] ?? 300_000);
const BLOCK = 20_000;
const vigil = new Vigil({
  apiKey: 'vgl_benchmark',
  endpoint: 'http://127.0.0.1:9',
  maxQueueSize: 10_000,
  batchSize: 5_000,
  concurrency: 1,
  flushIntervalMs: 3_600_000,
  initialBackoffMs: 60_000,
  maxBackoffMs: 60_000,
  exitHooks: false,
});
const inputs = Array.from({ length: 1_000 }, (_, i) => benchFeatures(i));
const ids = inputs.map((_, i) => `id-${i}`);

const time = (fn) => (n) => {
  const t = process.hrtime.bigint();
  fn(n);
  return Number(process.hrtime.bigint() - t) / 1_000 / n;
};
const generated = time((n) => {
  for (let i = 0; i < n; i++)
    vigil.logPrediction({
      model: 'bench',
      features: inputs[i % 1_000],
      prediction: i % 2,
      scores: 0.3,
    });
});
const given = time((n) => {
  for (let i = 0; i < n; i++)
    vigil.logPrediction({
      model: 'bench',
      features: inputs[i % 1_000],
      prediction: i % 2,
      scores: 0.3,
      id: ids[i % 1_000],
      timestamp: 1_700_000_000_000 + i,
    });
});
let sink = 0;
const empty = time((n) => {
  for (let i = 0; i < n; i++) sink += inputs[i % 1_000].items;
});
function blocks(fn) {
  const runs = Array.from({ length: Math.max(1, Math.floor(N / BLOCK)) }, () => fn(BLOCK)).sort(
    (a, b) => a - b,
  );
  return { min: +runs[0].toFixed(3), median: +runs[Math.floor(runs.length / 2)].toFixed(3) };
}
generated(BLOCK * 5); // warm-up (JIT)
given(BLOCK * 5);
const result = {
  calls: N,
  usPerCall: {
    idAndTimestampGiven: blocks(given),
    idAndTimestampGenerated: blocks(generated),
    emptyLoop: blocks(empty),
  },
  sink: sink > 0,
  dropped: vigil.stats().dropped,
};
await vigil.shutdown({ timeoutMs: 0 });
console.log(JSON.stringify(result));
