/**
 * The fetch handler of a built plugin: a Fetch `Request` in, Dify's `Response` out, with the plugin's
 * endpoint classes run in-process. Bundled into `worker.js`, so platform-neutral (no `node:` import):
 * the same module runs on Workers, Node, Bun and Deno. The rules themselves (routing, misses, header
 * and query reshaping, the body cut) come from the modules `dev` uses.
 */
import { describeMiss, createRouter, type Router } from "../../router/index.js";
import { forwardHeaders, MAX_BODY_BYTES, reencodeQuery } from "../../server/dify-request.js";
import { convertRouteValues, flattenRouteValues } from "../../runtime/node/protocol.js";
import { settingsFromEnv, type EnvSetting, type EnvSettingsResult } from "./env-settings.js";
import { findClass, invokeEndpoint, type EndpointClass } from "./invoke.js";

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
  /** `Dify-Hook-Id` for requests at the bare paths (a `/e/<id>/` request uses its own id). */
  hookId: string;
  deadlineMs: number;
}

/**
 * What a server may pass beside the request. Node's server passes the raw header list it received:
 * names as sent and repeated headers kept apart, as `dev` forwards them, without building the
 * request's `Headers`.
 */
export interface ServeContext {
  rawHeaders?: readonly string[];
}

/** What `worker.js` exports as its default: Workers' module shape, plus the start-up check. */
export interface BuiltWorker {
  fetch(request: Request, env?: Readonly<Record<string, unknown>>, context?: ServeContext): Promise<Response>;
  /** The settings problems for this environment (empty when every setting is fine). */
  check(env?: Readonly<Record<string, unknown>>): string[];
}

const text = (body: string, status: number): Response =>
  new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8" } });

const DIFY_URL = /^\/e\/([^/]+)(\/.*)?$/s;

export function createWorker(spec: WorkerSpec): BuiltWorker {
  const router: Router = createRouter(spec.endpoints.map(({ rule, method, id }) => ({ rule, method, endpoint: id })));
  const classes = new Map<string, EndpointClass | string>();
  for (const endpoint of spec.endpoints) {
    classes.set(endpoint.id, endpoint.python === true ? "this endpoint has only a Python source, which a TypeScript build cannot run" : findClass(endpoint.module));
  }
  // Settings are read once per environment object (Workers hands the same `env` to every request).
  const checked = new WeakMap<object, EnvSettingsResult>();
  const settingsFor = (env: Readonly<Record<string, unknown>>): EnvSettingsResult => {
    let result = checked.get(env);
    if (result === undefined) {
      result = settingsFromEnv(spec.settings, env);
      checked.set(env, result);
    }
    return result;
  };
  const noEnv = {};

  return {
    check: (env = noEnv) => settingsFor(env).problems,
    async fetch(request, env = noEnv, context) {
      const url = new URL(request.url);
      let path = url.pathname;
      let hookId = spec.hookId;
      let prefix = "";
      const dify = spec.difyUrls ? DIFY_URL.exec(path) : null;
      if (dify !== null) {
        hookId = dify[1] ?? hookId;
        prefix = `/e/${hookId}`;
        path = dify[2] ?? "/";
      }
      const method = request.method;
      const query = url.search.slice(1);
      const match = router.match(path, method);
      if (match.kind !== "ok") return text(`Failed to dispatch endpoint request: ${describeMiss(match, { origin: url.origin, query })}`, 404);
      const endpoint = classes.get(match.endpoint);
      if (typeof endpoint !== "function") return text(`Internal Server Error: ${endpoint ?? "the endpoint has no source to run"}`, 500);
      const settings = settingsFor(env);
      if (settings.problems.length > 0) return text(`Internal Server Error: ${settings.problems.join("; ")}`, 500);
      const forwarded = forwardHeaders(context?.rawHeaders ? headerPairs(context.rawHeaders) : request.headers, hookId, `${url.origin}${prefix}${path}`);
      if (forwarded.invalidName !== undefined) return text(`Internal Server Error: invalid header name ${JSON.stringify(forwarded.invalidName)}`, 500);
      const body = method === "GET" || method === "HEAD" ? null : await readBody(request);
      const search = query ? `?${reencodeQuery(query)}` : "";
      const inner = { method, headers: forwarded.headers, body };
      const values = convertRouteValues(flattenRouteValues(match.values));
      return invokeEndpoint(endpoint, `${url.origin}${path}${search}`, inner, values, settings.values, { outer: request, deadlineMs: spec.deadlineMs });
    },
  };
}

/** A raw header list (name, value, name, value...) as pairs, names in lower case. */
function headerPairs(raw: readonly string[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([(raw[i] as string).toLowerCase(), raw[i + 1] as string]);
  return pairs;
}

/** The request body, cut at 10 MiB as Dify cuts it; the rest is read and dropped so the client can finish. */
async function readBody(request: Request): Promise<Uint8Array | null> {
  if (request.body === null) return null;
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let kept = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = MAX_BODY_BYTES - kept;
    if (room <= 0) continue;
    const chunk = value.byteLength > room ? value.subarray(0, room) : value;
    chunks.push(chunk);
    kept += chunk.byteLength;
  }
  if (chunks.length === 1) return chunks[0] ?? null;
  const joined = new Uint8Array(kept);
  let at = 0;
  for (const chunk of chunks) {
    joined.set(chunk, at);
    at += chunk.byteLength;
  }
  return joined;
}
