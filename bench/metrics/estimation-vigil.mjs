// Vigil's side of the estimation benchmark: CBPE (isotonic calibration fitted on 1M labelled
// reference rows, estimate on 1M current rows) and PCA reconstruction drift (pipeline fitted on
// 1M reference rows x 25 columns of spec.json, error of 1M current rows), on one thread.
// The same data and steps as estimation_numpy.py. Prints one JSON line.
import { readFileSync } from 'node:fs';
import { estimateBinary, fitBinaryCbpe, fitPcaDrift, generateSample, pcaDrift } from '@vigil/metrics';

const spec = JSON.parse(readFileSync(new URL('./spec.json', import.meta.url), 'utf8'));
const rows = Number(process.env.BENCH_ROWS ?? spec.rows);
const repeats = Number(process.env.BENCH_REPEATS ?? 3);

/** A binary classifier's labels, scores and predictions from the portable PRNG (same in Python). */
function classifier(seed) {
  const y = generateSample({ dist: 'discrete', values: [0, 1], weights: [6, 4], seed, n: rows });
  const u = generateSample({ dist: 'uniform', a: 0, b: 1, seed: seed + 1, n: rows });
  const scores = new Float64Array(rows);
  const yPred = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    scores[i] = Math.min(1, 0.3 * y[i] + 0.7 * u[i]);
    yPred[i] = scores[i] >= 0.5 ? 1 : 0;
  }
  return { yTrue: y, scores, yPred };
}

function pcaColumns(role) {
  const numerical = [];
  const categorical = [];
  for (const c of spec.columns) {
    const x = generateSample({ ...c[role], n: rows });
    if (x instanceof Float64Array) numerical.push(x);
    else categorical.push(x);
  }
  return { numerical, categorical };
}

const reference = classifier(901);
const current = classifier(1901);
const pcaReference = pcaColumns('reference');
const pcaCurrent = pcaColumns('current');

const time = (f) => {
  const t0 = performance.now();
  const value = f();
  return [value, performance.now() - t0];
};
const runs = [];
let result;
for (let r = 0; r < repeats; r++) {
  const [model, cbpeFit] = time(() => fitBinaryCbpe(reference));
  const [estimate, cbpeEstimate] = time(() => estimateBinary(model, current));
  const [pca, pcaFit] = time(() => fitPcaDrift(pcaReference, Math.floor(rows / 10)));
  const [drift, pcaScore] = time(() => pcaDrift(pca, pcaCurrent));
  runs.push({ cbpe_fit_ms: cbpeFit, cbpe_estimate_ms: cbpeEstimate, pca_fit_ms: pcaFit, pca_current_ms: pcaScore, total_ms: cbpeFit + cbpeEstimate + pcaFit + pcaScore });
  result = {
    accuracy: estimate.accuracy.value,
    f1: estimate.f1.value,
    precision: estimate.precision,
    recall: estimate.recall,
    rocAuc: estimate.rocAuc,
    components: pca.pipeline.components.length,
    lower: pca.lower,
    upper: pca.upper,
    error: drift.error,
    samplingError: drift.samplingError,
  };
}
console.log(JSON.stringify({ side: 'vigil', rows, runs, max_rss_mb: process.resourceUsage().maxRSS / 1024, result, versions: { node: process.version } }));
