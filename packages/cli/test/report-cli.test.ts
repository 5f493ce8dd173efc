import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport, type ClassificationReport, type Report, type Table } from '@vigil/metrics';
import { modelData, multiclassData, writeCsv, writeJsonl, type Data } from './support/data.js';
import { runCli } from './support/run-cli.js';

const ROWS = 100_000;
let dir: string;
let reference: Data;
let current: Data;
const path = (name: string): string => join(dir, name);
const roles = ['--target', 'churned', '--prediction', 'predicted', '--scores', 'score'];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-cli-'));
  reference = modelData(ROWS, 1);
  current = modelData(ROWS, 2, 1);
  await Promise.all([writeCsv(path('ref.csv'), reference), writeCsv(path('cur.csv'), current)]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The report as JSON would carry it (no NaN, no typed arrays). */
const asJson = (r: Report): unknown => JSON.parse(JSON.stringify(r));

describe('vigil report on two 100k-row CSV files', () => {
  let run: Awaited<ReturnType<typeof runCli>>;
  let report: Report;

  beforeAll(async () => {
    run = await runCli(['report', '--reference', path('ref.csv'), '--current', path('cur.csv'), ...roles, '--json', path('out.json'), '--html', path('out.html')]);
    report = JSON.parse(await readFile(path('out.json'), 'utf8')) as Report;
  });

  it('finishes with exit code 0 and a readable summary', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/current .*cur\.csv: 100,000 rows/);
    for (const name of ['age', 'income', 'sessions', 'latency', 'balance', 'city', 'plan']) expect(run.stdout).toMatch(new RegExp(`^${name}\\s`, 'm'));
    expect(run.stdout).toMatch(/Dataset drift: (YES|no) — \d+ of 7 columns drifted/);
    expect(run.stdout).toMatch(/Performance \(binary, target churned\)/);
  });

  it('writes the JSON report with the documented shape', () => {
    expect(report.reference).toEqual({ rows: ROWS });
    expect(report.current).toEqual({ rows: ROWS });
    expect(report.columns.map((c) => c.name)).toEqual(['age', 'income', 'sessions', 'latency', 'balance', 'city', 'plan']);
    for (const c of report.columns) {
      expect(Object.keys(c.drift!).sort()).toEqual(['drifted', 'score', 'scoreKind', 'test', 'threshold']);
      expect(Object.keys(c.divergences!).sort()).toEqual(['hellinger', 'jensenShannon', 'psi', 'wassersteinNormed']);
      expect(Object.keys(c.quality).sort()).toEqual(['distinct', 'max', 'mean', 'min', 'missingShare', 'newCategoryShare', 'outOfRangeShare', 'std']);
      expect(c.distribution).not.toBeNull();
    }
    expect(Object.keys(report.dataset).sort()).toEqual(['columns', 'driftShare', 'drifted', 'driftedColumns', 'driftedShare']);
    const perf = report.performance!;
    expect(perf.task).toBe('binary');
    expect(Object.keys(perf.current)).toEqual(expect.arrayContaining(['accuracy', 'precision', 'recall', 'f1', 'rocAuc', 'logLoss']));
    expect(perf.reference).toBeDefined();
  });

  it('equals the report computed in memory on the same data', () => {
    const expected = buildReport(reference as Table, current as Table, { target: 'churned', prediction: 'predicted', scores: 'score' });
    expect(report).toEqual(asJson(expected));
    expect(report.columns.find((c) => c.name === 'city')!.quality.newCategoryShare).toBeGreaterThan(0.05);
    expect((report.performance!.current as ClassificationReport).rocAuc).toBeGreaterThan(0.6);
  });

  it('writes a self-contained HTML report under 2 MB', async () => {
    const size = (await stat(path('out.html'))).size;
    expect(size).toBeLessThan(2 * 1024 * 1024);
    const html = await readFile(path('out.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect((html.match(/<svg /g) ?? []).length).toBe(7);
    // No external resource of any kind: no src/href attributes, no url(), no @import.
    expect(html).not.toMatch(/\s(src|href)=|url\(|@import/);
  });
});

describe('vigil report inputs and options', () => {
  it('reads JSONL as it reads CSV', async () => {
    const ref = modelData(3000, 3);
    const cur = modelData(3000, 4, 1);
    await Promise.all([writeJsonl(path('ref.jsonl'), ref), writeJsonl(path('cur.jsonl'), cur), writeCsv(path('ref3k.csv'), ref), writeCsv(path('cur3k.csv'), cur)]);
    const a = await runCli(['report', '--reference', path('ref.jsonl'), '--current', path('cur.jsonl'), ...roles, '--json', path('a.json')]);
    const b = await runCli(['report', '--reference', path('ref3k.csv'), '--current', path('cur3k.csv'), ...roles, '--json', path('b.json')]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(await readFile(path('a.json'), 'utf8')).toBe(await readFile(path('b.json'), 'utf8'));
  });

  it('reports multiclass performance with one score column per class', async () => {
    await Promise.all([writeCsv(path('mref.csv'), multiclassData(4000, 5)), writeCsv(path('mcur.csv'), multiclassData(4000, 9))]);
    const run = await runCli(['report', '--reference', path('mref.csv'), '--current', path('mcur.csv'), '--target', 'label', '--prediction', 'predicted', '--scores', 'cat,dog,fox', '--json', path('m.json')]);
    expect(run.code).toBe(0);
    const report = JSON.parse(await readFile(path('m.json'), 'utf8')) as Report;
    expect(report.columns.map((c) => c.name)).toEqual(['x']);
    const m = report.performance!.current as ClassificationReport;
    expect(report.performance!.task).toBe('multiclass');
    expect(m.perClass!.map((k) => k.label)).toEqual(['cat', 'dog', 'fox']);
    expect(m.rocAuc).toBeGreaterThan(0.7);
    expect(m.logLoss).toBeGreaterThan(0);
  });

  it('honours type overrides, test choices, drift share and the FDR correction', async () => {
    const run = await runCli([
      'report', '--reference', path('ref3k.csv'), '--current', path('cur3k.csv'), ...roles,
      '--categorical', 'sessions', '--numerical-test', 'ks', '--column-test', 'city=chisquare:0.01', '--drift-share', '0.9', '--fdr', '--json', path('o.json'),
    ]);
    expect(run.stderr).toBe('');
    const report = JSON.parse(await readFile(path('o.json'), 'utf8')) as Report;
    const byName = Object.fromEntries(report.columns.map((c) => [c.name, c]));
    expect(byName.sessions!.type).toBe('categorical');
    expect(byName.age!.drift!.test).toBe('ks');
    expect(byName.city!.drift).toMatchObject({ test: 'chisquare', threshold: 0.01 });
    expect(byName.age!.drift!.pValueAdjusted).toBeGreaterThanOrEqual(byName.age!.drift!.score!);
    expect(report.dataset.driftShare).toBe(0.9);
  });
});

describe('vigil report errors', () => {
  const expectUsageError = (run: Awaited<ReturnType<typeof runCli>>, message: RegExp): void => {
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).not.toMatch(/\bat .*:\d+:\d+/);
    expect(run.stdout).toBe('');
  };

  it('names a missing file', async () => {
    expectUsageError(await runCli(['report', '--reference', path('nope.csv'), '--current', path('cur3k.csv')]), /^vigil: reference file not found: .*nope\.csv/);
  });

  it('names a missing column', async () => {
    expectUsageError(
      await runCli(['report', '--reference', path('ref3k.csv'), '--current', path('cur3k.csv'), '--target', 'label', '--prediction', 'predicted']),
      /column 'label' is not in the current data/,
    );
    expectUsageError(await runCli(['report', '--reference', path('ref3k.csv'), '--current', path('cur3k.csv'), '--numerical', 'ghost']), /'ghost'.*not in the reference/);
  });

  it('rejects bad options', async () => {
    expectUsageError(await runCli(['report', '--reference', path('ref3k.csv'), '--current', path('cur3k.csv'), '--task', 'ranking']), /--task must be one of binary, multiclass, regression/);
    expectUsageError(await runCli(['report', '--reference', path('ref3k.csv'), '--bogus']), /Unknown option '--bogus'/);
    expectUsageError(await runCli(['report', '--reference', path('ref3k.csv')]), /--current <file> is required/);
    expectUsageError(await runCli(['report', '--reference', path('ref3k.csv'), '--current', path('cur3k.csv'), '--test', 'magic']), /unknown test 'magic'/);
    expectUsageError(await runCli(['report', '--reference', path('ref3k.csv'), '--current', path('cur3k.csv'), '--drift-share', '2']), /--drift-share must be a number in \(0, 1\]/);
    expectUsageError(await runCli(['report', '--reference', path('ref.xlsx'), '--current', path('cur3k.csv')]), /unsupported extension/);
    expectUsageError(await runCli(['frobnicate']), /unknown command 'frobnicate'/);
  });

  it('rejects a malformed file', async () => {
    await writeFile(path('ragged.csv'), 'a,b\n1,2\n3\n');
    expectUsageError(await runCli(['report', '--reference', path('ragged.csv'), '--current', path('ragged.csv')]), /ragged\.csv: .*(record|column)/i);
    await writeFile(path('bad.jsonl'), '{"a": 1}\nnot json\n');
    expectUsageError(await runCli(['report', '--reference', path('bad.jsonl'), '--current', path('bad.jsonl')]), /bad\.jsonl line 2: not valid JSON/);
  });
});
