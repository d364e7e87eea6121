/**
 * An error the command line reports as one line (no stack trace) with a non-zero exit.
 * Library errors from the other packages (CameError, metrics and dataset errors) are shown
 * the same way; anything else is a bug and keeps its stack.
 */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
