/**
 * Runs the CLI in-process, as `bin/endpoint-kit.js` would, with captured stdout and stderr and a
 * chosen working directory. Used by the validate tests (golden files, reliability, corpus).
 */
import { Readable, Writable } from "node:stream";
import { runCli } from "../../src/cli.js";
import type { Io } from "../../src/terminal/io.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function createSink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: unknown, _encoding, callback) {
      chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"));
      callback();
    },
  });
  return { stream, text: () => chunks.join("") };
}

/** Runs `endpoint-kit <argv>` in `cwd`; colour is off unless the test's env asks for it. */
export async function runCliCaptured(argv: string[], options: { cwd: string; env?: Record<string, string | undefined> }): Promise<CliRun> {
  const stdout = createSink();
  const stderr = createSink();
  const io: Io = {
    cwd: options.cwd,
    env: options.env ?? { NO_COLOR: "1" },
    stdout: stdout.stream,
    stderr: stderr.stream,
    stdin: Readable.from([]),
  };
  const code = await runCli(argv, io);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
