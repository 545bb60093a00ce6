/**
 * The entry point: runs the program and is the only place that exits the process.
 */
import { CommanderError } from "commander";
import { CliError, describeSystemError, EXIT } from "./errors.js";
import { commanderExitCode, createProgram } from "./program.js";
import { processIo, type Io } from "./terminal/io.js";

/** Runs the CLI and resolves with the exit code, without exiting (tests call this directly). */
export async function runCli(argv: string[], io: Io): Promise<number> {
  let code: number = EXIT.ok;
  const program = createProgram(io, (c) => {
    code = c;
  });
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT.usage;
    }
    await program.parseAsync(argv, { from: "user" });
    return code;
  } catch (thrown) {
    // A limit of the machine (a name too long, a 2 GiB file, memory) is the user's to fix, not a bug.
    const error = (thrown instanceof CliError ? undefined : describeSystemError(thrown)) ?? thrown;
    if (error instanceof CommanderError) {
      const exit = commanderExitCode(error);
      if (exit !== 0) io.stderr.write("hint: run `endpoint-kit --help` to see the commands and flags\n");
      return exit;
    }
    if (error instanceof CliError) {
      io.stderr.write(`error: ${error.message}\n`);
      if (error.hint) io.stderr.write(`hint: ${error.hint}\n`);
      return error.exitCode;
    }
    // No `--debug` flag: commander rejects unknown flags before any command runs.
    const debug = Boolean(io.env.ENDPOINT_KIT_DEBUG);
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`error: ${message}\n`);
    if (debug && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    else io.stderr.write("hint: this is a bug in endpoint-kit; set ENDPOINT_KIT_DEBUG=1 to see the stack trace\n");
    return EXIT.environment;
  }
}

export async function main(argv: string[]): Promise<void> {
  const code = await runCli(argv, processIo());
  // dev resolves only once its server has shut down, so exiting here never cuts a command short;
  // it also ends helpers that would keep the loop alive (esbuild's service). Pipes and files are
  // written synchronously on POSIX, so no output is lost.
  process.exit(code);
}
