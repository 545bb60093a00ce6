/**
 * Where `send` delivers a request: to a running `dev` (`--url`), or to the plugin itself, served
 * for this one request by the same session, front door and runtimes `dev` uses, on a loopback port
 * that only lives as long as the call. Handler output goes to stderr so stdout holds the answer.
 */
import { createDevApp } from "../server/app.js";
import { DevSession } from "../server/dev-session.js";
import { startServer } from "../server/listen.js";
import { createDevPrinter } from "../terminal/dev-output.js";
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
  settingsPath?: string;
  python?: string;
  timeoutMs: number;
}

/** Loads the plugin as `dev` does, answers this one request, and shuts everything down again. */
export async function deliverInProcess(options: InProcessOptions, request: OutgoingRequest, io: Io): Promise<Delivered> {
  const printer = createDevPrinter({ ...io, stdout: io.stderr }, false, false);
  const session = new DevSession({ target: options.dir, cwd: io.cwd, settingsPath: options.settingsPath, python: options.python, out: printer });
  let server;
  try {
    await session.start();
    printer.setMask((text) => session.mask(text));
    const app = createDevApp({ current: session.current, allowedHosts: new Set(), deadlineMs: options.timeoutMs, log: () => {}, warn: (message) => printer.warn(message) });
    server = await startServer({ fetch: app.fetch, host: "127.0.0.1", port: 0, explicitPort: true });
    const hookId = session.state.hookId;
    return await send(targetUrl(`http://127.0.0.1:${server.port}`, hookId, request.path), request);
  } finally {
    await server?.close(0);
    await session.close();
  }
}
