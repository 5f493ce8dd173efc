#!/usr/bin/env node
// Microbench of the SDK hot path: µs per `logPrediction` call with 10 features. Delivery runs
// in the background (to an endpoint that refuses connections) and is not part of the timing.
import { Vigil } from '@vigil/sdk';
import { benchFeatures } from '../support.mjs';

const N = 1_000_000;
const vigil = new Vigil({ apiKey: 'vgl_benchmark', endpoint: 'http://127.0.0.1:9', maxQueueSize: Number(process.env.QUEUE ?? 10_000), batchSize: 5_000, exitHooks: false });
const inputs = Array.from({ length: 1_000 }, (_, i) => ({ model: 'bench', features: benchFeatures(i), prediction: i % 2, scores: 0.3 }));

function run(n) {
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) vigil.logPrediction(inputs[i % 1_000]);
  return Number(process.hrtime.bigint() - t) / 1_000 / n;
}
run(100_000); // warm-up
const withIds = inputs.map((p, i) => ({ ...p, id: `id-${i}`, timestamp: 1_700_000_000_000 + i }));
function runGiven(n) {
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) vigil.logPrediction(withIds[i % 1_000]);
  return Number(process.hrtime.bigint() - t) / 1_000 / n;
}
// Calibration: the same loop doing nothing but reading the input, to see how busy the CPU is.
let sink = 0;
const t0 = process.hrtime.bigint();
for (let i = 0; i < N; i++) sink += inputs[i % 1_000].prediction;
const emptyLoop = Number(process.hrtime.bigint() - t0) / 1_000 / N;
const given = runGiven(N);
const generated = run(N);
console.log(JSON.stringify({ calls: N, usPerCall: { idAndTimestampGiven: +given.toFixed(3), idAndTimestampGenerated: +generated.toFixed(3), emptyLoop: +emptyLoop.toFixed(4) }, sink: sink > 0, stats: vigil.stats().dropped }, null, 2));
await vigil.shutdown({ timeoutMs: 0 });
