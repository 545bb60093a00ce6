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

const SYSTEM_ERRORS: Record<string, string> = {
  ENAMETOOLONG: "a file name or path is too long for this file system",
  ERR_FS_FILE_TOO_LARGE: "a file is too large to read (over 2 GiB)",
  EFBIG: "a file is too large for this file system",
  ENOSPC: "no space left on the device",
  EDQUOT: "the disk quota is exceeded",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "the file system is read-only",
  EMFILE: "too many open files (raise `ulimit -n`)",
  ENFILE: "too many open files on this machine",
  ELOOP: "too many levels of symbolic links",
  ENOTDIR: "a part of the path is not a folder",
  EISDIR: "a folder was found where a file was expected",
  ENOENT: "no such file or folder",
  EEXIST: "a file already exists there",
  ERR_WORKER_OUT_OF_MEMORY: "a worker ran out of memory",
};

/** What a system error code means, in words (`ENAMETOOLONG` -> "a file name or path is too long..."), or undefined. */
export function systemErrorText(code: string | undefined): string | undefined {
  return code === undefined ? undefined : SYSTEM_ERRORS[code];
}

/**
 * An error the machine raised (a file system limit, memory), as a message for the user instead of
 * "this is a bug": undefined for anything else.
 */
export function describeSystemError(error: unknown): EnvironmentError | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, path } = error as NodeJS.ErrnoException;
  const known = code === undefined ? undefined : SYSTEM_ERRORS[code];
  if (known !== undefined) return new EnvironmentError(path ? `${path}: ${known}` : `${known} (${error.message})`);
  if (error instanceof RangeError && /allocation failed|Invalid (string|array|typed array) length/i.test(error.message)) {
    return new EnvironmentError(`out of memory (${error.message})`, "free memory, or raise Node's limit with --max-old-space-size");
  }
  return undefined;
}
