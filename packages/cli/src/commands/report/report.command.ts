import { stat, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { buildReport, type Report, type ReportOptions, type Table } from '@vigil/metrics';
import { buildReportParallel } from '@vigil/metrics/node';
import { renderHtmlReport, renderSummary } from '@vigil/metrics/render';
import { CliError } from '../../cli-error.js';
import type { CommandIo } from '../../command-io.js';
import { threadPolicy, type ThreadPolicy } from '../../env.js';
import type { ColumnMode } from '../../io/column-builder.js';
import { readTableInWorker } from '../../io/read-in-worker.js';
import { readTable, type ReadOptions, type ReadResult } from '../../io/read-table.js';
import { parseReportArgs, REPORT_USAGE, type ReportArgs } from './report-args.js';

export type { CommandIo } from '../../command-io.js';

/**
 * Worker threads pay only for large inputs and only when a core is free. Measured with
 * bench/cli/crossover.mjs (bench/RESULTS.md, "CLI"): on the shared 2-core machine at load
 * 4-13, threads lost at every size from 1k to 1M rows (1M: 18.2 s without, 20.5 s with), so
 * they are used only from ~100k rows per file and when the 1-minute load leaves a core idle.
 */
export const READ_WORKERS_MIN_BYTES = 64 * 1024 * 1024;
export const REPORT_WORKERS_MIN_CELLS = 5_000_000;

/** A core is idle: the 1-minute load average is at least one below the cores this process may use. */
function idleCore(): boolean {
  return availableParallelism() - loadavg()[0]! >= 1;
}

async function write(path: string, content: string, what: string): Promise<void> {
  try {
    await writeFile(path, content);
  } catch (e) {
    throw new CliError(`cannot write the ${what} report to ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

async function bytes(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0; // readTable names the missing file.
  }
}

/** Both files at once: each on its own worker thread when they are large, else interleaved here. */
async function readBoth(args: ReportArgs, options: ReadOptions, policy: ThreadPolicy): Promise<[ReadResult, ReadResult]> {
  const large = policy === 'auto' ? (await bytes(args.reference)) + (await bytes(args.current)) >= READ_WORKERS_MIN_BYTES && idleCore() : policy === 'always';
  const read = large ? readTableInWorker : readTable;
  return Promise.all([read(args.reference, 'reference', options), read(args.current, 'current', options)]);
}

/**
 * The report options with the columns a file's schema declares categorical (Parquet strings,
 * booleans, timestamps) forced so, unless --numerical/--categorical name them or they have a role.
 */
function withDeclaredTypes(options: ReportOptions, reference: ReadResult, current: ReadResult): ReportOptions {
  const scores = options.scores === undefined ? [] : typeof options.scores === 'string' ? [options.scores] : [...options.scores];
  const taken = new Set([options.target, options.prediction, ...scores, ...(options.numerical ?? []), ...(options.categorical ?? [])]);
  const declared = [...new Set([...(reference.categorical ?? []), ...(current.categorical ?? [])])].filter((c) => !taken.has(c) && c in reference.table);
  return declared.length === 0 ? options : { ...options, categorical: [...(options.categorical ?? []), ...declared] };
}

function cells(table: Table, rows: number): number {
  return Object.keys(table).length * rows;
}

/** `vigil report`: reads both files, computes the report (on all cores when it pays), prints and writes it. */
export async function reportCommand(argv: string[], io: CommandIo): Promise<number> {
  const args = parseReportArgs(argv);
  if (args === 'help') {
    io.stdout.write(`${REPORT_USAGE}\n`);
    return 0;
  }
  const modes = new Map<string, ColumnMode>();
  for (const c of args.options.numerical ?? []) modes.set(c, 'numerical');
  for (const c of args.options.categorical ?? []) {
    if (modes.has(c)) throw new CliError(`column '${c}' is given both --numerical and --categorical`);
    modes.set(c, 'categorical');
  }
  const policy = threadPolicy();
  const [reference, current] = await readBoth(args, { modes, progress: io.stderr }, policy);
  const parallel =
    args.workers !== undefined ||
    (policy === 'auto' ? cells(reference.table, reference.rows) + cells(current.table, current.rows) >= REPORT_WORKERS_MIN_CELLS && idleCore() : policy === 'always');
  const options = withDeclaredTypes(args.options, reference, current);
  // buildReportParallel's result equals buildReport's; the choice only moves the work.
  const report: Report = parallel
    ? await buildReportParallel(reference.table, current.table, { ...options, ...(args.workers !== undefined ? { workers: args.workers } : {}) })
    : buildReport(reference.table, current.table, options);
  const names = { reference: args.reference, current: args.current };
  if (args.json) await write(args.json, `${JSON.stringify(report, null, 2)}\n`, 'JSON');
  if (args.html) await write(args.html, renderHtmlReport(report, { ...names, generatedAt: new Date() }), 'HTML');
  io.stdout.write(renderSummary(report, names));
  for (const [flag, path] of [
    ['JSON', args.json],
    ['HTML', args.html],
  ] as const) {
    if (path) io.stdout.write(`${flag} report written to ${path}\n`);
  }
  return 0;
}
