/**
 * Typed errors that carry their exit code. Only `src/cli.ts` ends the process with that code;
 * everything else throws or returns a code.
 */

export const EXIT = { ok: 0, invalid: 1, usage: 2, environment: 3, cancelled: 130 } as const;

export class CliError extends Error {
  readonly exitCode: number;
  readonly hint: string | undefined;
  constructor(message: string, exitCode: number, hint?: string) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.hint = hint;
  }
}

/** A wrong flag, a missing argument, an unknown command: exit 2. */
export class UsageError extends CliError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.usage, hint);
  }
}

/** Invalid input the user gave (a bad name, a manifest with errors): exit 1. */
export class InputError extends CliError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.invalid, hint);
  }
}

/** The machine said no (unreadable file, port in use, permission denied): exit 3. */
export class EnvironmentError extends CliError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.environment, hint);
  }
}

/** The user pressed Ctrl+C at a prompt: exit 130, nothing written. */
export class CancelledError extends CliError {
  constructor() {
    super("Cancelled", EXIT.cancelled);
  }
}
