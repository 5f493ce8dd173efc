import { CliError } from './cli-error.js';

export type ThreadPolicy = 'auto' | 'always' | 'never';

/**
 * VIGIL_CLI_THREADS: `auto` (default: worker threads only above the measured crossover),
 * `always` or `never` (to measure that crossover; the report is the same with each).
 * @throws CliError on any other value.
 */
export function threadPolicy(env: NodeJS.ProcessEnv = process.env): ThreadPolicy {
  const value = env.VIGIL_CLI_THREADS ?? 'auto';
  if (value !== 'auto' && value !== 'always' && value !== 'never') throw new CliError(`VIGIL_CLI_THREADS must be auto, always or never, got '${value}'`);
  return value;
}
