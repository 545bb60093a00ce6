/**
 * What every command's registration shares: the exit-code promise an action returns, how it hands it
 * back, and the parsers of option values. src/program.ts calls the registrations in help order.
 */
import { InvalidArgumentError, Option } from "commander";

/** What an action hands back: the exit code to use. */
export type CommandResult = Promise<number>;

/** Hands an action's exit code to the program. */
export type Run = (result: CommandResult) => Promise<void>;

/** A parser for a whole-number option between `min` and `max`, named `name` in its error. */
export function parseInteger(name: string, min: number, max: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${name} must be a whole number`);
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(`${name} must be between ${min} and ${max}`);
    return n;
  };
}

/** Collects a repeatable option into a list. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `-s, --settings <file>` of the commands that run handlers (`help` where the file plays another part). */
export function settingsOption(help = "YAML file with the endpoint settings (default: settings.local.yaml if present)"): Option {
  return new Option("-s, --settings <file>", help);
}

/** `--python <path>` of the commands that run handlers. */
export function pythonOption(): Option {
  return new Option("--python <path>", "Python interpreter for Python endpoints (default: .venv, then python3)");
}

/** `--timeout <seconds>`, the handler deadline, with the command's default. */
export function timeoutOption(defaultSeconds: number): Option {
  return new Option("--timeout <seconds>", "handler deadline in seconds").argParser(parseInteger("--timeout", 1, 86_400)).default(defaultSeconds);
}
