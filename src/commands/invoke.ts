/**
 * `endpoint-kit invoke <METHOD> <path>`: one request through the pipeline without a server, like
 * `curl` against `dev`. The body streams to stdout (after the status line and headers with `-i`);
 * diagnostics, handler output and failure details go to stderr. Exit 0 when an answer came back,
 * 1 for a plugin that cannot be served (or, with `--fail`, a status of 400 or more), 2 for usage,
 * 3 when the plugin or a file cannot be read.
 */
import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { EnvironmentError, EXIT, InputError, UsageError } from "../errors.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { InvokeFlags } from "../program.js";
import { formatHead, parseHeaderFlag } from "../terminal/invoke-output.js";
import type { Io } from "../terminal/io.js";

export async function runInvoke(method: string, path: string, flags: InvokeFlags, io: Io): Promise<number> {
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(method)) throw new UsageError(`${JSON.stringify(method)} is not an HTTP method`);
  if (!path.startsWith("/") && !/^https?:\/\//i.test(path)) throw new UsageError(`the path must start with / (or be an http:// URL), got ${JSON.stringify(path)}`);
  const headers = flags.header.map((text) => {
    const header = parseHeaderFlag(text);
    if (!header) throw new UsageError(`-H ${JSON.stringify(text)} is not a header: write it as 'Name: value'`);
    return header;
  });
  const body = await readData(flags.data, io);
  if (flags.save !== undefined && !/^(HEAD|GET|POST|PUT|DELETE|OPTIONS)$/i.test(method)) throw new UsageError(`--save: Dify never routes ${method} to an endpoint, so a fixture cannot hold it`);
  if (body !== undefined && !headers.some(([name]) => name.toLowerCase() === "content-type")) headers.push(["content-type", "application/x-www-form-urlencoded"]);
  const [{ loadPlugin }, { PluginLoadError }] = await Promise.all([import("../api/load-plugin.js"), import("../api/plugin-load-error.js")]);
  let plugin;
  try {
    plugin = await loadPlugin(resolve(io.cwd, flags.dir), {
      ...(flags.settings !== undefined ? { settings: resolve(io.cwd, flags.settings) } : {}),
      ...(flags.python !== undefined ? { python: flags.python } : {}),
      ...(flags.hookId !== undefined ? { hookId: flags.hookId } : {}),
      timeoutMs: flags.timeout * 1000,
      onLog: (log) => io.stderr.write(log.text.endsWith("\n") ? log.text : `${log.text}\n`),
      onWarning: (message) => io.stderr.write(`warning: ${message}\n`),
      observe: () => ({ end: (outcome) => void (outcome.detail && outcome.status >= 500 && io.stderr.write(`${outcome.detail.replace(/\n?$/, "\n")}`)) }),
    });
  } catch (error) {
    if (!(error instanceof PluginLoadError)) throw error;
    if (error.code === "not-found") throw new EnvironmentError(error.message, "pass the plugin folder with --dir");
    await printDiagnostics(error.diagnostics, io);
    throw new InputError(error.message.split("\n")[0]!, "run `endpoint-kit validate` for the details");
  }
  try {
    if (plugin.diagnostics.length > 0) await printDiagnostics(plugin.diagnostics, io);
    const init: RequestInit = { method, headers, ...(body !== undefined ? { body } : {}) };
    try {
      // Only to report what Fetch refuses (a body on GET, a bad URL) as a usage error.
      new Request(path.startsWith("/") ? `http://localhost${path}` : path, init);
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    const response = await plugin.request(path, init);
    if (flags.include) io.stdout.write(formatHead(response));
    const chunks: Uint8Array[] = [];
    if (response.body) {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        if (flags.save !== undefined) chunks.push(chunk);
        if (!io.stdout.write(chunk)) await once(io.stdout, "drain");
      }
    }
    if (flags.save !== undefined) {
      const { saveFixture } = await import("./invoke-save.js");
      await saveFixture(flags.save, { method, path, headers, ...(body !== undefined ? { body } : {}) }, { status: response.status, headers: [...response.headers], chunks }, io);
    }
    return flags.fail && response.status >= 400 ? EXIT.invalid : EXIT.ok;
  } finally {
    await plugin.close();
  }
}

/** `-d` values: text as given, `@file` the file's bytes exactly, `@-` standard input; several are joined with `&`, as curl does. */
async function readData(values: readonly string[], io: Io): Promise<Uint8Array<ArrayBuffer> | undefined> {
  if (values.length === 0) return undefined;
  const parts: Uint8Array[] = [];
  for (const value of values) {
    if (!value.startsWith("@")) {
      parts.push(new TextEncoder().encode(value));
      continue;
    }
    const file = value.slice(1);
    try {
      parts.push(file === "-" ? await readStream(io.stdin) : new Uint8Array(await readFile(resolve(io.cwd, file))));
    } catch (error) {
      throw new EnvironmentError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  }
  const joined = parts.flatMap((part, i) => (i === 0 ? [part] : [new Uint8Array([0x26]), part]));
  return new Uint8Array(Buffer.concat(joined)) as Uint8Array<ArrayBuffer>;
}

async function readStream(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return new Uint8Array(Buffer.concat(chunks));
}

async function printDiagnostics(diagnostics: readonly Diagnostic[], io: Io): Promise<void> {
  const { formatText } = await import("../diagnostics/format-text.js");
  const { summarize } = await import("../diagnostics/diagnostic.js");
  io.stderr.write(formatText(diagnostics, { sources: new Map(), color: false, summary: summarize(diagnostics, 0) }));
}
