import { MetricsError } from '@vigil/metrics';
import { CliError } from './cli-error.js';
import { reportCommand, type CommandIo } from './commands/report/report.command.js';

export const USAGE = `Usage: vigil <command> [options]

Commands
  report    compare a current dataset with a reference: drift, data quality, performance

Run 'vigil <command> --help' for the options of a command.`;

/**
 * Runs one invocation and returns its exit code: 0 success, 2 a problem with the input
 * (one line on stderr), 1 an unexpected failure (with its stack).
 */
export async function main(argv: string[], io: CommandIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    }
    if (command === 'report') return await reportCommand(rest, io);
    throw new CliError(`unknown command '${command}' (try 'vigil --help')`);
  } catch (e) {
    if (e instanceof CliError || e instanceof MetricsError) {
      io.stderr.write(`vigil: ${e.message}\n`);
      return 2;
    }
    io.stderr.write(`vigil: unexpected error\n${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}
