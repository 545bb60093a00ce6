/**
 * The fetch handler of a built plugin: a Fetch `Request` in, Dify's `Response` out, through the same
 * request pipeline `dev` uses (src/pipeline/), with the plugin's endpoint classes run in-process.
 * Bundled into `worker.js`, so platform-neutral (no `node:` import): the same module runs on
 * Workers, Node, Bun and Deno. Settings come from the platform's environment.
 */
import { answerToResponse, createPipelineNow, fromFetchRequest, type HandleRequestNow, type PipelineAnswer, type PipelineRequest, type ServingState } from "../../pipeline/index.js";
import { wholeBody } from "../../pipeline/whole-body.js";
import { createRouter } from "../../router/index.js";
import { settingsFromEnv, type EnvSetting, type EnvSettingsResult } from "./env-settings.js";
import { createInProcessInvoker, findClass, type EndpointClass } from "./invoke.js";

/** One endpoint as the build wrote it: its route and the module its source became. */
export interface BuiltEndpoint {
  id: string;
  rule: string;
  method: string;
  module: unknown;
  /** The endpoint has only a Python source: it is routed, and answers a 500 saying so. */
  python?: boolean;
}

export interface WorkerSpec {
  endpoints: readonly BuiltEndpoint[];
  settings: readonly EnvSetting[];
  /** Also serve `/e/<any id>/...`, the URL shape of a Dify endpoint. */
  difyUrls: boolean;
  /** The hook id of bare paths (`Dify-Hook-Id`); a `/e/<id>/` request uses its own id. */
  hookId: string;
  deadlineMs: number;
}

/** What `worker.js` exports as its default: Workers' module shape, plus the start-up check. */
export interface BuiltWorker {
  fetch(request: Request, env?: Readonly<Record<string, unknown>>): Promise<Response>;
  /**
   * The same in the pipeline's own terms, for a server that reads the request and writes the answer
   * itself (the Node server): no Fetch `Request` or `Response` is built around the handler's. The
   * answer comes at once when nothing had to wait (a synchronous handler); it may throw then.
   */
  handle(request: PipelineRequest, env?: Readonly<Record<string, unknown>>): PipelineAnswer | Promise<PipelineAnswer>;
  /** The settings problems for this environment (empty when every setting is fine). */
  check(env?: Readonly<Record<string, unknown>>): string[];
}

const DIFY_URL = /^\/e\/([^/?]+)/;
/** Distinct `/e/<id>` prefixes remembered, each with its own front door; beyond this, one is made per request. */
const MAX_REMEMBERED_IDS = 256;

export function createWorker(spec: WorkerSpec): BuiltWorker {
  const router = createRouter(spec.endpoints.map(({ rule, method, id }) => ({ rule, method, endpoint: id })));
  const classes = new Map<string, EndpointClass>();
  const unavailable = new Map<string, string>();
  for (const endpoint of spec.endpoints) {
    const found = endpoint.python === true ? "this endpoint has only a Python source, which a TypeScript build cannot run" : findClass(endpoint.module);
    if (typeof found === "string") unavailable.set(endpoint.id, found);
    else classes.set(endpoint.id, found);
  }
  const invoker = { id: "", runtime: createInProcessInvoker(classes) };
  const endpoints = new Map(spec.endpoints.map((endpoint) => [endpoint.id, { ...invoker, id: endpoint.id }]));

  // Settings are read once per environment object (Workers hands the same `env` to every request).
  interface Served {
    settings: EnvSettingsResult;
    doors: Map<string, HandleRequestNow>;
  }
  const served = new WeakMap<object, Served>();
  const servedFor = (env: Readonly<Record<string, unknown>>): Served => {
    let entry = served.get(env);
    if (entry === undefined) {
      entry = { settings: settingsFromEnv(spec.settings, env), doors: new Map() };
      served.set(env, entry);
    }
    return entry;
  };
  const doorFor = (entry: Served, hookId: string): HandleRequestNow => {
    let door = entry.doors.get(hookId);
    if (door === undefined) {
      const state: ServingState = { hookId, router, endpoints, unavailable, settings: entry.settings.values };
      door = createPipelineNow({ current: () => state, deadlineMs: spec.deadlineMs, warn });
      if (entry.doors.size < MAX_REMEMBERED_IDS) entry.doors.set(hookId, door);
    }
    return door;
  };
  const noEnv = {};

  return {
    check: (env = noEnv) => servedFor(env).settings.problems,
    async fetch(request, env = noEnv) {
      const entry = servedFor(env);
      if (entry.settings.problems.length > 0) return text(problemsText(entry), 500);
      const arrived = await fromFetchRequest(request);
      return answerToResponse(await doorFor(entry, hookIdOf(arrived.target))(arrived));
    },
    handle(request, env = noEnv) {
      const entry = servedFor(env);
      if (entry.settings.problems.length > 0) return textAnswer(request.method, problemsText(entry), 500);
      return doorFor(entry, hookIdOf(request.target))(request);
    },
  };

  function hookIdOf(target: string): string {
    const dify = spec.difyUrls ? DIFY_URL.exec(pathOf(target)) : null;
    return dify?.[1] ?? spec.hookId;
  }
}

function problemsText(entry: { settings: EnvSettingsResult }): string {
  return `Internal Server Error: ${entry.settings.problems.join("; ")}`;
}

const encoder = new TextEncoder();

/** A plain-text answer made outside the pipeline (settings problems), with its length; no body for HEAD. */
function textAnswer(method: string, body: string, status: number): PipelineAnswer {
  const bytes = encoder.encode(body);
  const headers: Array<[string, string]> = [["content-type", "text/plain; charset=utf-8"], ["content-length", String(bytes.byteLength)]];
  return { status, headers, body: method === "HEAD" ? undefined : wholeBody(bytes) };
}

function text(body: string, status: number): Response {
  return new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8" } });
}

/** What Dify would change in a request or an answer (a body cut, a header value dropped): the platform's log. */
function warn(message: string): void {
  // eslint-disable-next-line no-console
  console.warn(message);
}

function pathOf(target: string): string {
  if (target.startsWith("/")) return target;
  try {
    return new URL(target).pathname;
  } catch {
    return target;
  }
}
