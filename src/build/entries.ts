/**
 * The text of every generated file except the README: the entry esbuild bundles into the neutral
 * worker module, the thin server of each target, and the Workers configurations. Pure.
 */
import type { BuildPlan, BuildTarget } from "./plan.js";

/** The newest Workers compatibility date the output asks for: old enough for any recent workerd or Workers. */
export const COMPATIBILITY_DATE = "2025-09-01";
export const DEFAULT_PORT = 8787;
export const DEFAULT_HOST = "127.0.0.1";

export interface EntryOptions {
  difyUrls: boolean;
  deadlineMs: number;
}

/** The worker module's file name: `.js` where Workers expects it, `.mjs` where Node decides by extension. */
export function workerFile(target: BuildTarget): string {
  return target === "workers" ? "worker.js" : "worker.mjs";
}

/** The module esbuild bundles: imports every endpoint source and hands them to `createWorker`. */
export function workerEntry(plan: BuildPlan, options: EntryOptions, serveModule: string): string {
  const sources = [...new Set(plan.routes.flatMap((route) => (route.source === undefined ? [] : [route.source])))];
  const lines = [`import { createWorker } from ${JSON.stringify(serveModule)};`];
  sources.forEach((source, index) => lines.push(`import * as m${index} from ${JSON.stringify(`./${source}`)};`));
  const endpoints = plan.routes.map((route) => {
    const module = route.source === undefined ? "undefined" : `m${sources.indexOf(route.source)}`;
    return `{ id: ${JSON.stringify(route.id)}, rule: ${JSON.stringify(route.rule)}, method: ${JSON.stringify(route.method)}, module: ${module}${route.source === undefined ? ', python: true' : ""} }`;
  });
  lines.push(
    `export default createWorker({`,
    `  endpoints: [${endpoints.join(", ")}],`,
    `  settings: ${JSON.stringify(plan.settings)},`,
    `  difyUrls: ${options.difyUrls}, hookId: ${JSON.stringify(plan.hookId)}, deadlineMs: ${options.deadlineMs},`,
    `});`,
  );
  return lines.join("\n") + "\n";
}

const printProblems = `for (const problem of worker.check(env)) console.error(\`settings: \${problem} (requests answer 500 until it is set)\`);`;

/** Node: `node:http` straight into the pipeline (src/build/runtime/node-listen.ts, bundled in), PORT/HOST, graceful shutdown on SIGINT/SIGTERM. */
export function nodeServer(): string {
  return `import { createServer } from "node:http";
import { installNodeOutputFetch } from "../runtime/fetch-light/light-fetch.js";
import { nodeListener } from "./runtime/node-listen.js";
import worker from "./worker.mjs";
// Lighter Fetch objects for the handler (they build Node's own only when needed), as @hono/node-server does.
installNodeOutputFetch();
const env = process.env;
const port = Number(env.PORT || ${DEFAULT_PORT});
const hostname = env.HOST || ${JSON.stringify(DEFAULT_HOST)};
${printProblems}
const server = createServer(nodeListener(worker, env));
server.listen(port, hostname, () => {
  console.log(\`listening on http://\${hostname.includes(":") ? \`[\${hostname}]\` : hostname}:\${server.address().port}\`);
});
server.on("error", (error) => {
  console.error(\`cannot listen on \${hostname}:\${port}: \${error.message}\`);
  process.exit(1);
});
let stopping = false;
function stop(signal) {
  if (stopping) process.exit(1);
  stopping = true;
  console.log(\`\${signal}: finishing the requests in flight (10 s at most), then stopping\`);
  server.close(() => process.exit(0));
  server.closeIdleConnections?.();
  setTimeout(() => process.exit(0), 10_000).unref();
}
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));
`;
}

/** Bun: Bun.serve, PORT/HOST, graceful shutdown. */
export function bunServer(): string {
  return `import worker from "./worker.mjs";
const env = process.env;
const port = Number(env.PORT || ${DEFAULT_PORT});
const hostname = env.HOST || ${JSON.stringify(DEFAULT_HOST)};
${printProblems}
const server = Bun.serve({ port, hostname, fetch: (request) => worker.fetch(request, env) });
console.log(\`listening on \${server.url}\`);
let stopping = false;
async function stop(signal) {
  if (stopping) process.exit(1);
  stopping = true;
  console.log(\`\${signal}: finishing the requests in flight, then stopping\`);
  await server.stop();
  process.exit(0);
}
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));
`;
}

/** Deno: Deno.serve, PORT/HOST, graceful shutdown. */
export function denoServer(): string {
  return `import worker from "./worker.mjs";
const env = Deno.env.toObject();
const port = Number(env.PORT || ${DEFAULT_PORT});
const hostname = env.HOST || ${JSON.stringify(DEFAULT_HOST)};
${printProblems}
const server = Deno.serve({ port, hostname, onListen: (info) => console.log(\`listening on http://\${info.hostname}:\${info.port}\`) }, (request) => worker.fetch(request, env));
let stopping = false;
async function stop(signal) {
  if (stopping) Deno.exit(1);
  stopping = true;
  console.log(\`\${signal}: finishing the requests in flight, then stopping\`);
  await server.shutdown();
  Deno.exit(0);
}
Deno.addSignalListener("SIGINT", () => stop("SIGINT"));
Deno.addSignalListener("SIGTERM", () => stop("SIGTERM"));
`;
}

/** `wrangler.jsonc`: ready for `wrangler deploy`; settings are set with `wrangler secret put` or `vars`, never written here. */
export function wranglerConfig(plan: BuildPlan): string {
  const lines = plan.settings.map((s) => `  //   ${s.variable}: setting \`${s.name}\` (${s.type}${s.required && s.default === undefined ? ", required" : ""})${s.type === "secret-input" ? ": wrangler secret put " + s.variable : ""}`);
  return `{
  "$schema": "node_modules/wrangler/config-schema.json",
  "name": ${JSON.stringify(workerName(plan.name))},
  "main": "worker.js",
  "compatibility_date": "${COMPATIBILITY_DATE}",
  // worker.js is already bundled and minified; its source map goes up with it.
  "no_bundle": true,
  "upload_source_maps": true,
${lines.length > 0 ? `  // Settings, one variable each (see README.md); values never go in this file:\n${lines.join("\n")}\n` : ""}}
`;
}

/** Workers names: lower case letters, digits and dashes, at most 63. */
export function workerName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 63) || "endpoint-plugin";
}

/** `workerd.capnp`: `npx workerd serve workerd.capnp` runs the worker offline; each setting is a binding from the environment. */
export function workerdConfig(plan: BuildPlan): string {
  const bindings = plan.settings.map((s) => `    (name = ${JSON.stringify(s.variable)}, fromEnvironment = ${JSON.stringify(s.variable)}),`);
  return `# Runs the worker locally: npx workerd serve workerd.capnp
# (another address: --socket-addr http=0.0.0.0:8080). Settings come from environment variables.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "${DEFAULT_HOST}:${DEFAULT_PORT}", http = (), service = "main") ],
);

const worker :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "worker.js") ],
  compatibilityDate = "${COMPATIBILITY_DATE}",
  bindings = [
${bindings.join("\n")}
  ],
);
`;
}
