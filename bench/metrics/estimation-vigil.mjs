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

// Wall time per step, and the process's CPU time and minor page faults over it: on a shared,
// loaded machine the CPU time says what the step costs when the wall time cannot.
const cpu = { cbpe_fit: 0, cbpe_estimate: 0, pca_fit: 0, pca_current: 0 };
const faults = { ...cpu };
const time = (step, f) => {
  const c0 = process.cpuUsage();
  const f0 = process.resourceUsage().minorPageFault;
  const t0 = performance.now();
  const value = f();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  cpu[step] = (c.user + c.system) / 1000;
  faults[step] = process.resourceUsage().minorPageFault - f0;
  return [value, wall];
};
const runs = [];
let result;
for (let r = 0; r < repeats; r++) {
  const [model, cbpeFit] = time('cbpe_fit', () => fitBinaryCbpe(reference));
  const [estimate, cbpeEstimate] = time('cbpe_estimate', () => estimateBinary(model, current));
  const [pca, pcaFit] = time('pca_fit', () => fitPcaDrift(pcaReference, Math.floor(rows / 10)));
  const [drift, pcaScore] = time('pca_current', () => pcaDrift(pca, pcaCurrent));
  runs.push({
    cbpe_fit_ms: cbpeFit,
    cbpe_estimate_ms: cbpeEstimate,
    pca_fit_ms: pcaFit,
    pca_current_ms: pcaScore,
    total_ms: cbpeFit + cbpeEstimate + pcaFit + pcaScore,
    cpu_ms: { ...cpu, total: cpu.cbpe_fit + cpu.cbpe_estimate + cpu.pca_fit + cpu.pca_current },
    minor_page_faults: { ...faults },
  });
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
