/**
 * A problem with the user's input (a missing file or column, a bad option): printed as one
 * line without a stack trace, exit code 2. Anything else is a bug and exits with 1.
 */
export class CliError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}
