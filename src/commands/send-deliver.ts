/**
 * Where `send` delivers a request: to a running `dev` (`--url`), or to the plugin itself through
 * `loadPlugin()`: the same pipeline and runtimes `dev` uses, no port. Handler output goes to stderr
 * so that stdout holds the answer.
 */
import { InputError } from "../errors.js";
import type { Io } from "../terminal/io.js";

export interface Delivered {
  url: string;
  response: Response;
  /** The response body, read whole. */
  body: Uint8Array;
}

export interface OutgoingRequest {
  method: string;
  /** Endpoint path (with any query of its own) after `/e/<hook_id>`. */
  path: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

async function send(url: string, request: OutgoingRequest): Promise<Delivered> {
  const response = await fetch(url, {
    method: request.method,
    headers: request.headers,
    redirect: "manual",
    ...(request.method === "GET" || request.method === "HEAD" ? {} : { body: Buffer.from(request.body) as Uint8Array<ArrayBuffer> }),
  });
  return { url, response, body: new Uint8Array(await response.arrayBuffer()) };
}

/** `base` is an origin (`http://127.0.0.1:5002`) or already ends in `/e/<hook_id>`. */
export function targetUrl(base: string, hookId: string | undefined, path: string): string {
  const trimmed = base.replace(/\/+$/, "");
  const hasHook = /\/e\/[^/]+$/.test(new URL(trimmed).pathname);
  const prefix = hasHook || hookId === undefined ? trimmed : `${trimmed}/e/${hookId}`;
  return `${prefix}${path.startsWith("/") ? path : `/${path}`}`;
}

export async function deliverToUrl(base: string, hookId: string | undefined, request: OutgoingRequest): Promise<Delivered> {
  return send(targetUrl(base, hookId, request.path), request);
}

export interface InProcessOptions {
  dir: string;
  /** Absolute path of the settings file, if one was given. */
  settingsPath?: string;
  python?: string;
  timeoutMs: number;
}

/** Loads the plugin with `loadPlugin()` (as `dev` serves it, no port), answers this one request, and closes it. */
export async function deliverInProcess(options: InProcessOptions, request: OutgoingRequest, io: Io): Promise<Delivered> {
  const { loadPlugin } = await import("../api/load-plugin.js");
  const { PluginLoadError } = await import("../api/plugin-load-error.js");
  let plugin;
  try {
    plugin = await loadPlugin(options.dir, {
      ...(options.settingsPath !== undefined ? { settings: options.settingsPath } : {}),
      ...(options.python !== undefined ? { python: options.python } : {}),
      timeoutMs: options.timeoutMs,
      onLog: (log) => io.stderr.write(log.text.endsWith("\n") ? log.text : `${log.text}\n`),
      onWarning: (message) => io.stderr.write(`warning: ${message}\n`),
    });
  } catch (error) {
    if (error instanceof PluginLoadError) throw new InputError(error.message, "`endpoint-kit validate` shows every problem; fix them or send to a running dev with --url");
    throw error;
  }
  try {
    const path = `/e/${plugin.hookId}${request.path.startsWith("/") ? "" : "/"}${request.path}`;
    const response = await plugin.request(path, {
      method: request.method,
      headers: request.headers,
      ...(request.method === "GET" || request.method === "HEAD" ? {} : { body: Buffer.from(request.body) as Uint8Array<ArrayBuffer> }),
    });
    return { url: path, response, body: new Uint8Array(await response.arrayBuffer()) };
  } finally {
    await plugin.close();
  }
}
