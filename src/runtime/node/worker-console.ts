/**
 * Sends what handlers print to the server, tagged with the endpoint whose call printed it. Each call
 * runs inside `callEndpoint`, so `console.log` in a handler, in its stream or in its timers knows it.
 * Runs inside the worker thread.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { Console } from "node:console";
import { Writable } from "node:stream";
import type { LogStream } from "./protocol.js";

/** The endpoint id of the call that the current code runs for. */
export const callEndpoint = new AsyncLocalStorage<string>();

export type LogSink = (stream: LogStream, text: string, endpoint: string | null) => void;

const CONSOLE_METHODS = [
  "log", "info", "debug", "warn", "error", "trace", "dir", "dirxml", "table", "group", "groupCollapsed",
  "groupEnd", "count", "countReset", "time", "timeEnd", "timeLog", "assert",
] as const;

function logStream(stream: LogStream, sink: LogSink): Writable {
  return new Writable({
    decodeStrings: false,
    write(chunk: unknown, _encoding, callback) {
      const text = typeof chunk === "string" ? chunk : String(chunk);
      sink(stream, text.endsWith("\n") ? text.slice(0, -1) : text, callEndpoint.getStore() ?? null);
      callback();
    },
  });
}

/** Replaces the methods of the global console (also what `node:console` exports) by ones that call `sink`. */
export function captureConsole(sink: LogSink): void {
  const captured = new Console({ stdout: logStream("stdout", sink), stderr: logStream("stderr", sink) });
  const target = console as unknown as Record<string, unknown>;
  const source = captured as unknown as Record<string, (...args: unknown[]) => void>;
  for (const method of CONSOLE_METHODS) {
    const replacement = source[method];
    if (typeof replacement === "function") target[method] = replacement.bind(captured);
  }
}
