/**
 * The banner `dev` prints once it listens: each endpoint's URL with its method, the settings with
 * secrets masked, and what could not be served.
 */
import { MASK, secretTexts } from "../settings/mask.js";
import { createPainter } from "./io.js";
import { urlHost } from "../server/exposure.js";

/** What the banner shows, as plain data (the dev command fills it from its session). */
export interface BannerData {
  root: string;
  hookId: string;
  endpoints: ReadonlyArray<{ id: string; method: string; path: string; runtime: "node" | "python"; unavailable?: string }>;
  skipped: ReadonlyArray<{ id: string; reason: string }>;
  settings: { path?: string; values: Record<string, unknown>; secrets: readonly string[] };
  /** What each runtime runs on (Python: interpreter, SDK, werkzeug), as label/value lines. */
  runtimeFacts: ReadonlyArray<{ lines: ReadonlyArray<readonly [label: string, value: string]> }>;
  /** Hides secret values in text. */
  mask: (text: string) => string;
}

/** The banner text; pure. */
export function renderBanner(session: BannerData, options: { host: string; port: number; color: boolean }): string {
  const paint = createPainter(options.color);
  const base = `http://${urlHost(options.host)}:${options.port}`;
  const { hookId } = session;
  const lines: string[] = [""];
  lines.push(`  ${paint("bold", "endpoint-kit dev")}  ${paint("gray", session.root)}`);
  lines.push("");
  const width = Math.max(4, ...session.endpoints.map((e) => e.method.length));
  for (const endpoint of session.endpoints) {
    const mark = endpoint.unavailable ? paint("red", " (cannot run: see above)") : "";
    lines.push(`  ${paint("green", endpoint.method.padEnd(width))}  ${base}/e/${hookId}${endpoint.path}  ${paint("gray", `${endpoint.id} (${endpoint.runtime === "node" ? "TypeScript" : "Python"})`)}${mark}`);
    lines.push(`  ${" ".repeat(width)}  ${paint("gray", `also ${base}${endpoint.path}`)}`);
  }
  for (const skipped of session.skipped) lines.push(`  ${paint("yellow", "skip".padEnd(width))}  ${skipped.id}: ${skipped.reason}`);
  lines.push("");
  const settings = session.settings;
  const secrets = new Set(settings.secrets);
  const entries = Object.entries(settings.values);
  if (entries.length > 0) {
    lines.push(`  settings${settings.path ? paint("gray", ` (${settings.path})`) : ""}:`);
    for (const [name, value] of entries) {
      const texts = secretTexts(value);
      const shown = texts.length > 0 && texts.every((text) => secrets.has(text)) ? MASK : session.mask(JSON.stringify(value) ?? "null");
      lines.push(`    ${name} = ${shown}`);
    }
    lines.push("");
  }
  // What each runtime runs on (Python: interpreter, SDK, werkzeug), as the runtime reported it.
  for (const facts of session.runtimeFacts) {
    for (const [label, value] of facts.lines) lines.push(`  ${paint("gray", label.padEnd(9))} ${value}`);
    lines.push("");
  }
  lines.push(paint("gray", "  watching for changes · Ctrl+C to stop"));
  lines.push("");
  return lines.join("\n") + "\n";
}
