import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport, estimateBinary, fitBinaryCbpe, type ClassificationReport, type Report, type Table } from '@vigil/metrics';
import { modelData, multiclassData, writeCsv, type Data } from './support/data.js';
import { runCli } from './support/run-cli.js';

const ROWS = 5000;
let dir: string;
let reference: Data;
let current: Data;
let unlabelled: Data;
const path = (name: string): string => join(dir, name);
const roles = ['--target', 'churned', '--prediction', 'predicted', '--scores', 'score'];
const options = { target: 'churned', prediction: 'predicted', scores: 'score', estimatePerformance: true, multivariate: true };

function without(data: Data, column: string): Data {
  return Object.fromEntries(Object.entries(data).filter(([name]) => name !== column));
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-estimate-'));
  reference = modelData(ROWS, 1);
  current = modelData(ROWS, 2, 1);
  unlabelled = without(current, 'churned');
  const badScores = { ...reference, score: Float64Array.from(reference.score as Float64Array, (v, i) => (i === 41 ? 1.5 : v)) };
  const mc = multiclassData(3000, 7);
  await Promise.all([
    writeCsv(path('ref.csv'), reference),
    writeCsv(path('cur.csv'), current),
    writeCsv(path('cur-unlabelled.csv'), unlabelled),
    writeCsv(path('ref-unlabelled.csv'), without(reference, 'churned')),
    writeCsv(path('ref-bad-scores.csv'), badScores),
    writeCsv(path('mc-ref.csv'), mc),
    writeCsv(path('mc-cur.csv'), without(multiclassData(2000, 8), 'label')),
  ]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const report = async (args: string[], out: string): Promise<{ code: number | null; stdout: string; stderr: string; report: Report }> => {
  const run = await runCli(['report', ...args, '--json', path(out)]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return { ...run, report: JSON.parse(await readFile(path(out), 'utf8')) as Report };
};

describe('vigil report --estimate-performance --multivariate', () => {
  it('estimates binary performance from a current file without the target, in the documented shape', async () => {
    const args = ['--reference', path('ref.csv'), '--current', path('cur-unlabelled.csv'), ...roles, '--estimate-performance', '--multivariate', '--html', path('est.html')];
    const { stdout, report: r } = await report(args, 'est.json');
    const e = r.performanceEstimate!;
    expect(Object.keys(e).sort()).toEqual(['calibration', 'labels', 'method', 'metrics', 'positiveLabel', 'rows', 'task']);
    expect([e.method, e.task, e.calibration, e.rows]).toEqual(['cbpe', 'binary', 'isotonic', ROWS]);
    expect(Object.keys(e.metrics).sort()).toEqual(['accuracy', 'f1', 'precision', 'recall', 'rocAuc', 'specificity']);
    for (const k of ['accuracy', 'f1'] as const) expect(Object.keys(e.metrics[k]).sort()).toEqual(['lower', 'samplingError', 'upper', 'value']);
    for (const k of ['precision', 'recall', 'specificity', 'rocAuc'] as const) expect(Object.keys(e.metrics[k]!)).toEqual(['value']);
    // No labels in the current file: no realized performance.
    expect(r.performance).toBeUndefined();
    // The numbers are the metrics library's on the same rows.
    const model = fitBinaryCbpe({ yTrue: reference.churned as Float64Array, yPred: reference.predicted as Float64Array, scores: reference.score as Float64Array });
    const direct = estimateBinary(model, { scores: current.score as Float64Array, yPred: current.predicted as Float64Array });
    expect(e.metrics.accuracy).toEqual({ value: direct.accuracy.value, samplingError: direct.accuracy.samplingError, lower: direct.accuracy.lower, upper: direct.accuracy.upper });
    expect(e.metrics.f1.value).toBe(direct.f1.value);
    expect(e.metrics.rocAuc.value).toBe(direct.rocAuc);
    expect(r).toEqual(JSON.parse(JSON.stringify(buildReport(reference as Table, unlabelled as Table, options))));

    const m = r.multivariateDrift!;
    expect(Object.keys(m).sort()).toEqual(['chunkSize', 'columns', 'components', 'current', 'drifted', 'explainedVariance', 'lower', 'method', 'referenceChunkErrors', 'upper'].sort());
    expect(m.method).toBe('pca_reconstruction');
    expect(m.chunkSize).toBe(ROWS / 10);
    expect(m.referenceChunkErrors).toHaveLength(10);
    expect(m.explainedVariance).toBeGreaterThanOrEqual(0.65);
    expect(Object.keys(m.current).sort()).toEqual(['error', 'samplingError']);
    expect(m.drifted).toBe(m.current.error! < m.lower || m.current.error! > m.upper);

    expect(stdout).toMatch(/Estimated performance \(CBPE, binary, 5,000 rows, no labels read\)/);
    expect(stdout).toMatch(/Multivariate drift \(PCA reconstruction, \d+ components/);
    const html = await readFile(path('est.html'), 'utf8');
    expect(html).toContain('id="performance-estimate"');
    expect(html).toMatch(/<div id="multivariate-drift"><svg /);
  });

  it('ignores a current target for the estimate and reports the realized metrics beside it, inside the band', async () => {
    const args = ['--reference', path('ref.csv'), '--current', path('cur.csv'), ...roles, '--estimate-performance'];
    const { report: labelled } = await report(args, 'labelled.json');
    const { report: blind } = await report(['--reference', path('ref.csv'), '--current', path('cur-unlabelled.csv'), ...roles, '--estimate-performance'], 'blind.json');
    expect(labelled.performanceEstimate).toEqual(blind.performanceEstimate);
    const realized = labelled.performance!.current as ClassificationReport;
    const est = labelled.performanceEstimate!.metrics;
    expect(realized.accuracy).toBeGreaterThanOrEqual(est.accuracy.lower!);
    expect(realized.accuracy).toBeLessThanOrEqual(est.accuracy.upper!);
    expect(realized.f1).toBeGreaterThanOrEqual(est.f1.lower!);
    expect(realized.f1).toBeLessThanOrEqual(est.f1.upper!);
    expect(labelled.multivariateDrift).toBeUndefined();
  });

  it('estimates multiclass performance with macro values under the same names', async () => {
    const args = ['--reference', path('mc-ref.csv'), '--current', path('mc-cur.csv'), '--target', 'label', '--prediction', 'predicted', '--scores', 'cat,dog,fox', '--estimate-performance'];
    const { report: r } = await report(args, 'mc.json');
    const e = r.performanceEstimate!;
    expect([e.task, e.rows, e.labels]).toEqual(['multiclass', 2000, ['cat', 'dog', 'fox']]);
    expect(Object.keys(e.metrics).sort()).toEqual(['accuracy', 'f1', 'precision', 'recall', 'rocAuc']);
    expect(e.metrics.accuracy.value).toBeGreaterThan(0.5);
    expect(e.metrics.f1.lower).toBeLessThan(e.metrics.f1.value!);
  });

  it('takes --reference-chunk-size', async () => {
    const args = ['--reference', path('ref.csv'), '--current', path('cur.csv'), '--multivariate', '--reference-chunk-size', '700'];
    const { report: r } = await report(args, 'chunks.json');
    expect(r.multivariateDrift!.chunkSize).toBe(700);
    // 5,000 rows: 7 full chunks, the partial last one dropped.
    expect(r.multivariateDrift!.referenceChunkErrors).toHaveLength(7);
    expect(r.performanceEstimate).toBeUndefined();
  });

  const failures: [string, string[], RegExp][] = [
    ['the reference lacks labels', ['--reference', 'ref-unlabelled.csv', '--current', 'cur-unlabelled.csv', ...roles, '--estimate-performance'], /needs labels: the reference has no target column 'churned'/],
    ['a score lies outside [0, 1]', ['--reference', 'ref-bad-scores.csv', '--current', 'cur-unlabelled.csv', ...roles, '--estimate-performance'], /reference: score column 'score' holds 1\.5 at row 42, outside \[0, 1\]/],
    ['a class has no score column', ['--reference', 'mc-ref.csv', '--current', 'mc-cur.csv', '--target', 'label', '--prediction', 'predicted', '--scores', 'cat,dog', '--task', 'multiclass', '--estimate-performance'], /class 'fox' has no score column/],
    ['scores are not given', ['--reference', 'ref.csv', '--current', 'cur.csv', '--target', 'churned', '--prediction', 'predicted', '--estimate-performance'], /--estimate-performance needs --target, --prediction and --scores/],
    ['the chunk size is not a positive integer', ['--reference', 'ref.csv', '--current', 'cur.csv', '--multivariate', '--reference-chunk-size', '0'], /--reference-chunk-size must be a positive integer, got '0'/],
    ['the chunk size exceeds the reference', ['--reference', 'ref.csv', '--current', 'cur.csv', '--multivariate', '--reference-chunk-size', '5001'], /reference chunk size 5001 exceeds the reference's 5000 rows/],
  ];
  for (const [what, args, message] of failures) {
    it(`exits 2 with one line when ${what}`, async () => {
      const run = await runCli(['report', ...args.map((a) => (a.endsWith('.csv') ? path(a) : a))]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    });
  }
});
