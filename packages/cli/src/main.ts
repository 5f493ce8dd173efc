import { readFileSync } from 'node:fs';
import { CliError } from './cli-error.js';
import type { CommandIo } from './command-io.js';

export const USAGE = `Usage: vigil <command> [options]

Commands
  report    compare a current dataset with a reference: drift, data quality, performance

Options
  -h, --help       show this help
  -v, --version    print the version

Run 'vigil <command> --help' for the options of a command.`;

/** The version in this package's package.json (read only when asked for). */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * Runs one invocation and returns its exit code: 0 success, 2 a problem with the input
 * (one line on stderr), 1 an unexpected failure (with its stack). Only what the command needs
 * is loaded: help and version answer without importing the report code.
 */
export async function main(argv: string[], io: CommandIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    }
    if (command === '--version' || command === '-v' || command === 'version') {
      io.stdout.write(`${version()}\n`);
      return 0;
    }
    if (command === 'report') {
      const { reportCommand } = await import('./commands/report/report.command.js');
      return await reportCommand(rest, io);
    }
    throw new CliError(`unknown command '${command}' (try 'vigil --help')`);
  } catch (e) {
    if (e instanceof CliError || (e instanceof Error && e.name === 'MetricsError')) {
      io.stderr.write(`vigil: ${e.message}\n`);
      return 2;
    }
    io.stderr.write(`vigil: unexpected error\n${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}
