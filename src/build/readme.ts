/**
 * The README written beside a build: how to run and deploy the output on its target, and how to set
 * each setting there (`wrangler secret put`, `.dev.vars`, environment variables). Pure; it names
 * variables, never values.
 */
import { COMPATIBILITY_DATE, DEFAULT_HOST, DEFAULT_PORT, workerName, type EntryOptions } from "./entries.js";
import type { BuildPlan, BuildTarget } from "./plan.js";
import type { EnvSetting } from "./runtime/env-settings.js";

/** One line per setting: variable, setting, type, and whether it must be set. */
export function settingsTable(settings: readonly EnvSetting[]): string[] {
  if (settings.length === 0) return ["(the plugin declares no settings)"];
  const rows = settings.map((s) => [s.variable, s.name, s.type, s.default !== undefined ? `default ${JSON.stringify(s.default)}` : s.required ? "required" : "optional"]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => (row[i] ?? "").length)));
  return rows.map((row) => row.map((cell, i) => (i < 3 ? cell.padEnd(widths[i] ?? 0) : cell)).join("  "));
}

function valueFormat(setting: EnvSetting): string {
  if (setting.type === "boolean") return "`true` or `false`";
  if (setting.type === "app-selector") return 'JSON, e.g. `{"app_id":"..."}`';
  if (setting.type === "model-selector") return 'JSON, e.g. `{"provider":"openai","model":"gpt-4o","model_type":"llm"}`';
  if (setting.type === "array[tools]") return "a JSON array";
  if (setting.type === "select") return `one of ${setting.options.map((o) => `\`${o}\``).join(", ")}`;
  return "text";
}

export function outputReadme(plan: BuildPlan, target: BuildTarget, options: EntryOptions): string {
  const routes = plan.routes.map((r) => `- \`${r.method} ${r.rule}\`${r.source === undefined ? " (only a Python source: answers 500)" : ""}`);
  const settings = plan.settings.map((s) => `- \`${s.variable}\`: setting \`${s.name}\` (${s.type}, ${valueFormat(s)}${s.default !== undefined ? `; default ${JSON.stringify(s.default)}` : s.required ? "; required" : "; optional"})`);
  const example = plan.settings[0]?.variable ?? "API_KEY";
  const secrets = plan.settings.filter((s) => s.type === "secret-input");
  const plain = plan.settings.filter((s) => s.type !== "secret-input");
  const parts = [
    `# ${plan.name}: built for ${target}`,
    "",
    `Built by \`endpoint-kit build --target ${target}\`. This folder is self-contained: copy it anywhere and run it, no \`npm install\` needed.`,
    "",
    "## Endpoints",
    "",
    ...routes,
    "",
    options.difyUrls
      ? `Each path is served as it is, and also as \`/e/<any id><path>\`, the shape of a Dify endpoint URL (the id becomes \`Dify-Hook-Id\`).`
      : `Each path is served as it is (build with \`--dify-urls\` to also serve \`/e/<any id><path>\`, the shape of a Dify endpoint URL).`,
    `Requests get Dify's answers: werkzeug routing, \`404 Failed to dispatch endpoint request: ...\` on a miss, one value per response header, bodies cut at 10 MiB, a ${Math.round(options.deadlineMs / 1000)} s deadline (504).`,
    "",
    "## Settings",
    "",
    "Each setting is read from one environment variable (a binding on Workers), checked when the server starts (on Workers, at the first request). While a required setting is missing or invalid, every request is answered `500 Internal Server Error` naming it (never its value).",
    "",
    ...(settings.length > 0 ? settings : ["The plugin declares no settings."]),
    "",
    ...targetSection(plan, target, example, secrets, plain),
  ];
  return parts.join("\n") + "\n";
}

function targetSection(plan: BuildPlan, target: BuildTarget, example: string, secrets: EnvSetting[], plain: EnvSetting[]): string[] {
  const exports = plan.settings.map((s) => `export ${s.variable}=...`);
  switch (target) {
    case "workers":
      return [
        "## Run locally (offline)",
        "",
        "```sh",
        ...(exports.length > 0 ? exports : []),
        "npx workerd serve workerd.capnp            # http://127.0.0.1:8787",
        "npx workerd serve workerd.capnp --socket-addr http=127.0.0.1:9000",
        "```",
        "",
        "`workerd.capnp` binds each setting from the environment variable of the same name. Or, with wrangler: put the values in `.dev.vars` (one `NAME=value` per line, never commit it) and run `npx wrangler dev`.",
        "",
        "## Deploy to Cloudflare Workers",
        "",
        "1. Install wrangler where you deploy from (`npm install -g wrangler`; recent versions need Node 22) and log in: `wrangler login` (or set `CLOUDFLARE_API_TOKEN` in CI).",
        `2. Check the name in \`wrangler.jsonc\` (\`${workerName(plan.name)}\`); the compatibility date is ${COMPATIBILITY_DATE}.`,
        "3. Set the settings:",
        ...(secrets.length > 0 ? secrets.map((s) => `   - \`wrangler secret put ${s.variable}\` (a secret: encrypted, never shown again)`) : []),
        ...(plain.length > 0 ? plain.map((s) => `   - \`${s.variable}\`: \`wrangler secret put ${s.variable}\`, or a \`"vars": { "${s.variable}": "..." }\` entry in wrangler.jsonc (plain text, visible in the dashboard)`) : []),
        ...(plan.settings.length === 0 ? ["   - nothing to set."] : []),
        "4. `wrangler deploy` (from this folder). It prints the URL, `https://<name>.<your-subdomain>.workers.dev`.",
        "5. Point your webhook at that URL plus an endpoint's path. Logs: `wrangler tail`.",
      ];
    case "node":
      return [
        "## Run",
        "",
        "```sh",
        ...exports,
        `PORT=${DEFAULT_PORT} HOST=${DEFAULT_HOST} node --enable-source-maps server.mjs`,
        "```",
        "",
        `Node 20 or newer. \`PORT\` and \`HOST\` default to ${DEFAULT_PORT} and ${DEFAULT_HOST}; use \`HOST=0.0.0.0\` in a container. SIGINT/SIGTERM finish the requests in flight (10 s at most), then stop.`,
        "",
        "In a container: `FROM node:22-slim`, `COPY . /app`, `ENV HOST=0.0.0.0`, `CMD [\"node\", \"--enable-source-maps\", \"/app/server.mjs\"]`; pass settings with `docker run -e " + example + "=...` or an env file.",
      ];
    case "bun":
      return ["## Run", "", "```sh", ...exports, `PORT=${DEFAULT_PORT} HOST=${DEFAULT_HOST} bun server.mjs`, "```", "", `\`PORT\` and \`HOST\` default to ${DEFAULT_PORT} and ${DEFAULT_HOST}. Bun also reads a \`.env\` file in the working folder. SIGINT/SIGTERM stop the server after the requests in flight.`];
    case "deno":
      return ["## Run", "", "```sh", ...exports, `PORT=${DEFAULT_PORT} HOST=${DEFAULT_HOST} deno run --allow-net --allow-env server.mjs`, "```", "", `\`PORT\` and \`HOST\` default to ${DEFAULT_PORT} and ${DEFAULT_HOST}. Deno Deploy: deploy \`server.mjs\` with this folder and set the variables in the project settings. SIGINT/SIGTERM stop the server after the requests in flight.`];
  }
}
