import { parseArgs } from 'node:util';
import { DRIFT_TESTS, type DriftTestChoice, type DriftTestName, type ReportOptions, type Task } from '@vigil/metrics';
import { CliError } from '../../cli-error.js';

export const REPORT_USAGE = `Usage: vigil report --reference <file> --current <file> [options]

Compares a current dataset with a reference dataset (CSV with a header row, JSONL or
Parquet) and prints per-column drift, data quality and, with a target, model performance.

Data
  --reference <file>        reference (baseline) data: .csv, .jsonl, .ndjson (each may be
                            gzipped: .csv.gz) or .parquet
  --current <file>          current data to compare (any of the same formats)
  --target <column>         ground truth; reported under performance, not drift
  --prediction <column>     predicted label or value
  --scores <c>|<c1,c2,...>  positive-class probability, or one probability column per class
                            named by its class label
  --task <task>             binary | multiclass | regression (inferred from the target)
  --numerical <a,b,...>     treat these columns as numerical
  --categorical <c,d,...>   treat these columns as categorical

Drift tests (default: chosen per column, see docs/cli.md)
  --test <name>             test for every column
  --threshold <x>           threshold for every column
  --numerical-test <name[:threshold]>
  --categorical-test <name[:threshold]>
  --column-test <column=name[:threshold]>   repeatable
  --drift-share <x>         dataset drift when this share of columns drifts (default 0.5)
  --fdr                     Benjamini-Hochberg correction across p-value tests

Estimation (docs/metrics.md)
  --estimate-performance    estimate performance without labels (CBPE): the reference needs
                            --target, --prediction and --scores; a current target is ignored
                            for the estimate and reported as realized performance
  --multivariate            multivariate drift by PCA reconstruction error over the features
  --reference-chunk-size <n>  reference rows per chunk for its thresholds (default: rows / 10)

Output
  --json <file>             write the report as JSON
  --html <file>             write a self-contained HTML report
  --workers <n>             worker threads (default: one per core for large inputs)
  -h, --help                show this help

Tests: ${DRIFT_TESTS.join(', ')}`;

export interface ReportArgs {
  reference: string;
  current: string;
  json?: string;
  html?: string;
  workers?: number;
  options: ReportOptions;
}

const TASKS: readonly Task[] = ['binary', 'multiclass', 'regression'];

function list(value: string | undefined): string[] {
  return value === undefined
    ? []
    : value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
}

function share(value: string, flag: string, { positive }: { positive: boolean }): number {
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x) || x < 0 || (positive && x === 0) || x > 1) {
    throw new CliError(`${flag} must be a number in ${positive ? '(0, 1]' : '[0, 1]'}, got '${value}'`);
  }
  return x;
}

function testName(name: string, flag: string): DriftTestName {
  if (!(DRIFT_TESTS as readonly string[]).includes(name)) throw new CliError(`${flag}: unknown test '${name}' (one of ${DRIFT_TESTS.join(', ')})`);
  return name as DriftTestName;
}

/** 'name' or 'name:threshold'. */
function choice(spec: string, flag: string): DriftTestChoice {
  const [name, threshold, ...rest] = spec.split(':');
  if (rest.length > 0 || !name) throw new CliError(`${flag} expects name[:threshold], got '${spec}'`);
  return { test: testName(name, flag), ...(threshold !== undefined ? { threshold: thresholdValue(threshold, flag) } : {}) };
}

function thresholdValue(value: string, flag: string): number {
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x) || x < 0) throw new CliError(`${flag}: threshold must be a non-negative number, got '${value}'`);
  return x;
}

/** Parses `vigil report` arguments. @throws CliError on an unknown, missing or malformed option. */
export function parseReportArgs(argv: string[]): ReportArgs | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        reference: { type: 'string' },
        current: { type: 'string' },
        target: { type: 'string' },
        prediction: { type: 'string' },
        scores: { type: 'string' },
        task: { type: 'string' },
        numerical: { type: 'string' },
        categorical: { type: 'string' },
        test: { type: 'string' },
        threshold: { type: 'string' },
        'numerical-test': { type: 'string' },
        'categorical-test': { type: 'string' },
        'column-test': { type: 'string', multiple: true },
        'drift-share': { type: 'string' },
        fdr: { type: 'boolean' },
        'estimate-performance': { type: 'boolean' },
        multivariate: { type: 'boolean' },
        'reference-chunk-size': { type: 'string' },
        json: { type: 'string' },
        html: { type: 'string' },
        workers: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new CliError(e instanceof Error ? e.message.split('\n')[0]! : String(e));
  }
  const v = parsed.values;
  if (v.help) return 'help';
  if (!v.reference) throw new CliError('--reference <file> is required (see vigil report --help)');
  if (!v.current) throw new CliError('--current <file> is required (see vigil report --help)');
  if (v.task !== undefined && !(TASKS as readonly string[]).includes(v.task)) {
    throw new CliError(`--task must be one of ${TASKS.join(', ')}, got '${v.task}'`);
  }
  const options: ReportOptions = {};
  if (v.target !== undefined) options.target = v.target;
  if (v.prediction !== undefined) options.prediction = v.prediction;
  const scores = list(v.scores);
  if (v.scores !== undefined && scores.length === 0) throw new CliError('--scores needs a column name');
  if (scores.length > 0) options.scores = scores.length === 1 ? scores[0]! : scores;
  if (v.task !== undefined) options.task = v.task as Task;
  if (v.numerical !== undefined) options.numerical = list(v.numerical);
  if (v.categorical !== undefined) options.categorical = list(v.categorical);
  if (v.test !== undefined) options.test = testName(v.test, '--test');
  if (v.threshold !== undefined) options.threshold = thresholdValue(v.threshold, '--threshold');
  const perKind: NonNullable<ReportOptions['perKind']> = {};
  if (v['numerical-test'] !== undefined) perKind.numerical = choice(v['numerical-test'], '--numerical-test');
  if (v['categorical-test'] !== undefined) perKind.categorical = choice(v['categorical-test'], '--categorical-test');
  if (Object.keys(perKind).length > 0) options.perKind = perKind;
  if (v['column-test']) {
    const perColumn: Record<string, DriftTestChoice> = {};
    for (const spec of v['column-test']) {
      const at = spec.indexOf('=');
      if (at <= 0) throw new CliError(`--column-test expects column=name[:threshold], got '${spec}'`);
      perColumn[spec.slice(0, at)] = choice(spec.slice(at + 1), '--column-test');
    }
    options.perColumn = perColumn;
  }
  if (v['drift-share'] !== undefined) options.driftShare = share(v['drift-share'], '--drift-share', { positive: true });
  if (v.fdr) options.falseDiscoveryRate = 'benjamini-hochberg';
  if (v['estimate-performance']) {
    if (v.target === undefined || v.prediction === undefined || v.scores === undefined) {
      throw new CliError('--estimate-performance needs --target, --prediction and --scores (the reference holds the labels)');
    }
    options.estimatePerformance = true;
  }
  if (v['reference-chunk-size'] !== undefined && !v.multivariate) throw new CliError('--reference-chunk-size applies to --multivariate');
  if (v.multivariate) {
    options.multivariate = true;
    const size = v['reference-chunk-size'];
    if (size !== undefined) {
      const n = Number(size);
      if (!/^\d+$/.test(size.trim()) || !Number.isSafeInteger(n) || n < 1) throw new CliError(`--reference-chunk-size must be a positive integer, got '${size}'`);
      options.referenceChunkSize = n;
    }
  }
  let workers: number | undefined;
  if (v.workers !== undefined) {
    workers = Number(v.workers);
    if (!Number.isInteger(workers) || workers < 1) throw new CliError(`--workers must be a positive integer, got '${v.workers}'`);
  }
  return {
    reference: v.reference,
    current: v.current,
    ...(v.json !== undefined ? { json: v.json } : {}),
    ...(v.html !== undefined ? { html: v.html } : {}),
    ...(workers !== undefined ? { workers } : {}),
    options,
  };
}
