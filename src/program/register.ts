/**
 * What every command's registration shares: the exit-code promise an action returns, how it hands it
 * back, and the parsers of option values. src/program.ts calls the registrations in help order.
 */
import { InvalidArgumentError } from "commander";

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
