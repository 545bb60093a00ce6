/**
 * What a command may touch of the outside world. Commands receive an `Io` instead of reaching for
 * `process`, so tests run them in-process with captured output and a chosen working directory.
 */
import { styleText } from "node:util";

export interface Io {
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

export function processIo(): Io {
  return { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };
}

/** Colour only on a terminal, never with NO_COLOR, always with FORCE_COLOR (as most CLIs do). */
export function useColor(io: Io, stream: "stdout" | "stderr"): boolean {
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== "") return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== "0") return true;
  return Boolean(io[stream].isTTY) && io.env.TERM !== "dumb";
}

export type Style = "red" | "yellow" | "green" | "cyan" | "gray" | "bold" | "dim" | "underline";

/** Returns a painter that styles text when colour is on and passes it through otherwise. */
export function createPainter(color: boolean): (style: Style | Style[], text: string) => string {
  return (style, text) => (color ? styleText(style, text, { validateStream: false }) : text);
}
