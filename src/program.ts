/**
 * The command-line surface: commands, flags and help, wired with commander. Each command's flags
 * and help are registered from src/program/, in the order help lists them. Each action imports its
 * command module only when it runs, so `--help` stays fast and loads none of the heavy libraries.
 */
import type { CommanderError} from "commander";
import { Command } from "commander";
import { UsageError } from "./errors.js";
import { packageVersion } from "./package-root.js";
import type { Io } from "./terminal/io.js";
import { registerSchema, registerValidate } from "./program/check-commands.js";
import { registerInit } from "./program/init-commands.js";
import type { CommandResult } from "./program/register.js";
import { registerDev, registerInvoke, registerSend, registerTest } from "./program/run-commands.js";
import { registerBuild, registerChecksum, registerKeygen, registerPackage, registerVerify } from "./program/ship-commands.js";

// Where each command's flags are declared, re-exported for the command modules that read them.
export type { ValidateFlags } from "./program/check-commands.js";
export type { InitEndpointFlags, InitFlags } from "./program/init-commands.js";
export type { CommandResult } from "./program/register.js";
export type { DevFlags, InvokeFlags, TestFlags } from "./program/run-commands.js";
export type { BuildFlags, PackageFlags } from "./program/ship-commands.js";

/** Builds the program; `setResult` receives the exit code of the action that ran. */
export function createProgram(io: Io, setResult: (code: number) => void): Command {
  const program = new Command("endpoint-kit");
  const run = (result: CommandResult) => result.then(setResult);
  program
    .description("Scaffold, validate and serve Dify endpoint plugins locally")
    .version(packageVersion(), "-v, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });

  // In the order help lists them.
  const commands = [registerValidate, registerInit, registerDev, registerTest, registerInvoke, registerBuild, registerSend, registerSchema, registerPackage, registerChecksum, registerKeygen, registerVerify];
  for (const register of commands) register(program, io, run);

  return program;
}

/** Turns commander's own errors into exit codes: help and version are 0, everything else a usage error. */
export function commanderExitCode(error: CommanderError): number {
  if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help") return 0;
  return new UsageError(error.message).exitCode;
}
