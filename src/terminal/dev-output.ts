/**
 * What `dev` prints: the banner, one line per request, reload notes, warnings and handler output.
 * Normal output goes to stdout, warnings and errors to stderr; every text passes the secret masker,
 * and request data (paths, headers, bodies, errors that quote them) has its control characters shown
 * escaped, so request bytes cannot drive the terminal.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { formatText } from "../diagnostics/format-text.js";
import { summarize } from "../diagnostics/diagnostic.js";
import type { RequestLog } from "../server/app.js";
import type { DevOutput } from "../server/dev-session.js";
import type { RuntimeLog } from "../runtime/contract.js";
import { createPainter, type Io } from "./io.js";
import { escapeControls } from "../settings/mask.js";
import { capLines } from "../runtime/line-buffer.js";
import { LineBudget } from "./line-budget.js";

export interface DevPrinter extends DevOutput {
  request(entry: RequestLog): void;
  setMask(mask: (text: string) => string): void;
  /** Writes the request lines not written yet (they go out once per turn of the event loop). */
  flush(): void;
}

/** Request lines listed each second before the rest are summed up (see line-budget.ts). */
export const REQUEST_LINES_PER_SECOND = 50;

export function createDevPrinter(io: Io, color: boolean, verbose: boolean, now: () => number = Date.now): DevPrinter {
  const paint = createPainter(color);
  let mask = (text: string) => text;
  // Masked first (a secret may hold a backslash), then made terminal-safe.
  const safe = (text: string) => escapeControls(mask(text));
  // The clock text changes once a second: formatting a date per request line is wasted work.
  let second = -1;
  let clock = "";
  const time = () => {
    const at = now();
    if (Math.floor(at / 1000) !== second) {
      second = Math.floor(at / 1000);
      clock = new Date(at).toTimeString().slice(0, 8);
    }
    return clock;
  };
  // Request lines are written once per turn of the event loop, together: under load, one write per
  // line was a large share of a small request's cost. Anything else printed writes them first, so
  // the order of what is printed holds.
  let pending = "";
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending === "") return;
    const text = pending;
    pending = "";
    io.stdout.write(text);
  };
  const queue = (text: string) => {
    pending += text;
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
  const budget = new LineBudget(
    REQUEST_LINES_PER_SECOND,
    (count, byStatus) => {
      const statuses = [...byStatus].map(([status, n]) => `${n.toLocaleString("en-US")} × ${status}`).join(", ");
      queue(`${paint("gray", time())} ${paint("gray", `… and ${count.toLocaleString("en-US")} more ${count === 1 ? "request" : "requests"} that second (${statuses}), not listed: dev lists ${REQUEST_LINES_PER_SECOND} a second, every failure, and all with --verbose; the inspector has them`)}\n`);
    },
    now,
  );
  return {
    flush: () => {
      budget.flush();
      flush();
    },
    setMask(next) {
      mask = next;
    },
    info(line) {
      flush();
      io.stdout.write(`${paint("gray", time())} ${mask(line)}\n`);
    },
    warn(message, hint) {
      flush();
      io.stderr.write(`${paint("gray", time())} ${paint("yellow", "warning:")} ${safe(message)}\n`);
      if (hint) io.stderr.write(`${safe(hint).replace(/^/gm, "  ")}\n`);
    },
    diagnostics(diagnostics: Diagnostic[], sources: Map<string, string>) {
      if (diagnostics.length === 0) return;
      flush();
      const text = formatText(diagnostics, { sources, color, summary: summarize(diagnostics, sources.size) });
      io.stderr.write(mask(text));
      const fixable = diagnostics.filter((d) => d.fix).length;
      if (fixable > 0) io.stderr.write(`${paint("cyan", "hint:")} ${fixable === 1 ? "1 of these" : `${fixable} of these`} can be fixed by \`endpoint-kit validate --fix\` (preview with --fix-dry-run)\n`);
    },
    runtimeLog(log: RuntimeLog) {
      const prefix = paint("cyan", `[${log.endpoint ?? "worker"}]`);
      const stream = log.stream === "stderr" ? io.stderr : io.stdout;
      flush();
      // Handler output keeps its colours; other control sequences are shown escaped.
      for (const line of escapeControls(mask(capLines(log.text)), true).replace(/\n$/, "").split("\n")) stream.write(`${prefix} ${line}\n`);
    },
    request(entry) {
      // Failures, tracebacks and --verbose are always listed in full.
      const failed = entry.status >= 500 || entry.detail !== undefined;
      if (!budget.admit(entry.status, failed || verbose)) return;
      const status = entry.status >= 500 ? paint("red", String(entry.status)) : entry.status >= 400 ? paint("yellow", String(entry.status)) : paint("green", String(entry.status));
      const endpoint = entry.endpoint ? paint("gray", ` → ${entry.endpoint}`) : "";
      queue(`${paint("gray", time())} ${safe(entry.method)} ${safe(entry.path)}${endpoint} ${status} ${paint("gray", `${entry.ms.toFixed(1)} ms`)}\n`);
      // A 404 with a detail is a ValueError from the handler: its traceback says where it was raised.
      if (entry.detail && (entry.status >= 500 || entry.status === 404)) {
        flush();
        io.stderr.write(`${safe(capLines(entry.detail)).replace(/^/gm, "  ")}\n`);
      }
      if (verbose && entry.request) {
        for (const [name, value] of entry.request.headers) queue(`  ${paint("gray", ">")} ${safe(name)}: ${safe(value)}\n`);
        if (entry.request.body.byteLength > 0) queue(`  ${safe(new TextDecoder().decode(entry.request.body.subarray(0, 2048)))}\n`);
        for (const [name, value] of entry.response?.headers ?? []) queue(`  ${paint("gray", "<")} ${safe(name)}: ${safe(value)}\n`);
      }
    },
  };
}
