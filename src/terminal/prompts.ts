/**
 * Questions to the user, behind one small interface. `createTerminalAsk` is the only user of
 * @inquirer/prompts (loaded on the first question, as it is slow to import); `createScriptedAsk`
 * answers by question name, for tests. Ctrl+C becomes `CancelledError` either way.
 */
import { CancelledError } from "../errors.js";
import type * as InquirerModule from "@inquirer/prompts";
import type { Io } from "./io.js";

export interface TextQuestion {
  /** Stable name: scripted answers and flags refer to it. */
  name: string;
  message: string;
  default?: string;
  /** A message when the answer is refused, undefined when it is fine. */
  validate?: (value: string) => string | undefined;
}

export interface Choice<T extends string> {
  value: T;
  name?: string;
  description?: string;
}

export interface SelectQuestion<T extends string> {
  name: string;
  message: string;
  choices: ReadonlyArray<Choice<T>>;
  default?: T;
}

export interface ConfirmQuestion {
  name: string;
  message: string;
  default?: boolean;
}

export interface Ask {
  text(question: TextQuestion): Promise<string>;
  select<T extends string>(question: SelectQuestion<T>): Promise<T>;
  confirm(question: ConfirmQuestion): Promise<boolean>;
}

type Inquirer = typeof InquirerModule;

function isExitPrompt(error: unknown): boolean {
  return error instanceof Error && (error.name === "ExitPromptError" || error.name === "AbortPromptError");
}

/** Asks on the terminal: questions and answers go to stderr, so stdout keeps only results. */
export function createTerminalAsk(io: Io): Ask {
  let loaded: Promise<Inquirer> | undefined;
  const inquirer = () => (loaded ??= import("@inquirer/prompts"));
  const context = { input: io.stdin as NodeJS.ReadStream, output: io.stderr as NodeJS.WriteStream };
  const run = async <T>(prompt: (m: Inquirer) => Promise<T>): Promise<T> => {
    try {
      return await prompt(await inquirer());
    } catch (error) {
      if (isExitPrompt(error)) throw new CancelledError();
      throw error;
    }
  };
  return {
    text: (q) =>
      run((m) =>
        m.input(
          {
            message: q.message,
            ...(q.default === undefined ? {} : { default: q.default }),
            validate: (value: string) => q.validate?.(value) ?? true,
          },
          context,
        ),
      ),
    select: <T extends string>(q: SelectQuestion<T>) =>
      run((m) =>
        m.select<T>(
          {
            message: q.message,
            choices: q.choices.map((c) => ({ value: c.value, name: c.name ?? c.value, ...(c.description === undefined ? {} : { description: c.description }) })),
            ...(q.default === undefined ? {} : { default: q.default }),
          },
          context,
        ),
      ),
    confirm: (q) => run((m) => m.confirm({ message: q.message, ...(q.default === undefined ? {} : { default: q.default }) }, context)),
  };
}

/** A scripted answer: a value, `CANCEL` (Ctrl+C), or `DEFAULT` (Enter). */
export const CANCEL: unique symbol = Symbol("cancel");
export const DEFAULT: unique symbol = Symbol("default");
export type ScriptedAnswer = string | boolean | typeof CANCEL | typeof DEFAULT;

export interface ScriptedAsk extends Ask {
  /** Every question asked, in order, by name. */
  readonly asked: string[];
  /** Messages the `validate` functions returned for refused answers. */
  readonly refused: Array<{ name: string; message: string }>;
}

/**
 * Answers questions from a script keyed by question name; a list answers the same question again
 * (after a refused answer, or in a loop). An unscripted question takes its default, as Enter does;
 * one without a default is an error, so a test notices a question it did not expect.
 */
export function createScriptedAsk(script: Readonly<Record<string, ScriptedAnswer | readonly ScriptedAnswer[]>>): ScriptedAsk {
  const queues = new Map(Object.entries(script).map(([name, answers]) => [name, Array.isArray(answers) ? [...answers] : [answers]]));
  const asked: string[] = [];
  const refused: Array<{ name: string; message: string }> = [];
  const next = (name: string, fallback: string | boolean | undefined): string | boolean => {
    asked.push(name);
    const answer = queues.get(name)?.shift() ?? DEFAULT;
    if (answer === CANCEL) throw new CancelledError();
    if (answer !== DEFAULT) return answer;
    if (fallback === undefined) throw new Error(`no scripted answer for the question "${name}", and it has no default`);
    return fallback;
  };
  return {
    asked,
    refused,
    async text(q) {
      for (;;) {
        const answer = String(next(q.name, q.default));
        const message = q.validate?.(answer);
        if (message === undefined) return answer;
        refused.push({ name: q.name, message });
        if ((queues.get(q.name)?.length ?? 0) === 0) throw new Error(`scripted answer ${JSON.stringify(answer)} for "${q.name}" was refused: ${message}`);
      }
    },
    async select<T extends string>(q: SelectQuestion<T>) {
      const answer = String(next(q.name, q.default ?? q.choices[0]?.value));
      const choice = q.choices.find((c) => c.value === answer);
      if (choice === undefined) throw new Error(`scripted answer ${JSON.stringify(answer)} for "${q.name}" is not one of the choices`);
      return choice.value;
    },
    async confirm(q) {
      const answer = next(q.name, q.default);
      if (typeof answer !== "boolean") throw new Error(`scripted answer for "${q.name}" must be true or false`);
      return answer;
    },
  };
}
