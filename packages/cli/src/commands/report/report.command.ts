import { writeFile } from 'node:fs/promises';
import { buildReportParallel } from '@vigil/metrics/node';
import { CliError } from '../../cli-error.js';
import type { ColumnMode } from '../../io/column-builder.js';
import type { ProgressSink } from '../../io/progress.js';
import { readTableInWorker } from '../../io/read-in-worker.js';
import { renderHtmlReport, renderSummary } from '@vigil/metrics/render';
import { parseReportArgs, REPORT_USAGE } from './report-args.js';

export interface CommandIo {
  stdout: { write(text: string): unknown };
  stderr: ProgressSink;
}

async function write(path: string, content: string, what: string): Promise<void> {
  try {
    await writeFile(path, content);
  } catch (e) {
    throw new CliError(`cannot write the ${what} report to ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

/** `vigil report`: reads both files, computes the report on all cores, prints and writes it. */
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
  const readOptions = { modes, progress: io.stderr };
  // Both files parse at once, one worker thread each.
  const [reference, current] = await Promise.all([
    readTableInWorker(args.reference, 'reference', readOptions),
    readTableInWorker(args.current, 'current', readOptions),
  ]);
  const report = await buildReportParallel(reference.table, current.table, {
    ...args.options,
    ...(args.workers !== undefined ? { workers: args.workers } : {}),
  });
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
