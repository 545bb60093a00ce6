/**
 * Small plugins written to a temporary folder: a minimal valid one (no error, no warning) that a
 * test overrides file by file to make exactly the problem it is about.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** File path (relative, `/`-separated) to content; `null` leaves a file of the base out. */
export type PluginFiles = Record<string, string | Uint8Array | null>;

/** A valid manifest listing one group, for a Python or a TypeScript plugin. */
export function manifestYaml(options: { name?: string; label?: string; group?: string; language?: "python" | "typescript" } = {}): string {
  const { name = "hello", label = "Hello", group = "group/hello.yaml", language = "python" } = options;
  const version = language === "python" ? "3.12" : "20";
  return `version: 0.0.1
type: plugin
author: tester
name: ${name}
label:
  en_US: ${label}
description:
  en_US: A plugin for tests.
icon: icon.svg
created_at: "2024-07-12T08:03:44Z"
resource:
  memory: 268435456
  permission:
    endpoint:
      enabled: true
plugins:
  endpoints:
    - ${group}
meta:
  version: 0.0.1
  arch:
    - amd64
    - arm64
  runner:
    language: ${language}
    version: "${version}"
    entrypoint: main
`;
}

export const MINIMAL_MANIFEST = manifestYaml();

/** One setting of a group, written as `settingsYaml` lays it out; labels default to the name, capitalised. */
export interface SettingSpec {
  name: string;
  type: string;
  required?: boolean;
  default?: string;
  /** The values of a `select`, each labelled by its value, capitalised. */
  options?: readonly string[];
  label?: string;
}

const labelOf = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1).replaceAll("_", " ");

/** The items of a group's `settings:` list, indented under it, each line ending with a line break. */
export function settingsYaml(settings: readonly SettingSpec[]): string {
  return settings
    .map((s) => {
      let item = `  - name: ${s.name}\n    type: ${s.type}\n    required: ${s.required ?? false}\n`;
      if (s.default !== undefined) item += `    default: ${s.default}\n`;
      if (s.options) item += `    options:\n${s.options.map((v) => `      - value: ${v}\n        label:\n          en_US: ${labelOf(v)}\n`).join("")}`;
      return `${item}    label:\n      en_US: ${s.label ?? labelOf(s.name)}\n`;
    })
    .join("");
}

/**
 * A group file listing `endpoints` (paths of endpoint YAML files) with `settings`: specs, or the
 * items' YAML as `settingsYaml` writes it, for a test that needs a shape the specs cannot say.
 */
export function groupYaml(endpoints: readonly string[], settings: readonly SettingSpec[] | string = []): string {
  const items = typeof settings === "string" ? settings : settingsYaml(settings);
  return `settings:${items === "" ? " []\n" : `\n${items.replace(/\n?$/, "\n")}`}endpoints:\n${endpoints.map((e) => `  - ${e}\n`).join("")}`;
}

/** An endpoint file: `path`, `method` (GET unless given) and the source for its language (Python unless given). */
export function endpointYaml(options: { path: string; source: string; method?: string; language?: "python" | "typescript" }): string {
  const { path, source, method = "GET", language = "python" } = options;
  return `path: ${JSON.stringify(path)}\nmethod: ${JSON.stringify(method)}\nextra:\n  ${language}:\n    source: ${JSON.stringify(source)}\n`;
}

export const MINIMAL_GROUP = groupYaml(["endpoints/hello.yaml"]);

export const MINIMAL_ENDPOINT = endpointYaml({ path: "/hello", source: "endpoints/hello.py" });

export const MINIMAL_PYTHON = `from dify_plugin import Endpoint


class Hello(Endpoint):
    def _invoke(self, r, values, settings):
        raise NotImplementedError
`;

/** A plugin that validates with no problem at all. */
export const MINIMAL_PLUGIN: Readonly<Record<string, string>> = {
  "manifest.yaml": MINIMAL_MANIFEST,
  "group/hello.yaml": MINIMAL_GROUP,
  "endpoints/hello.yaml": MINIMAL_ENDPOINT,
  "endpoints/hello.py": MINIMAL_PYTHON,
  "_assets/icon.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>\n',
};

/** Writes `files` under `dir`, creating folders; `null` entries are skipped. */
export async function writeFiles(dir: string, files: PluginFiles): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    if (content === null) continue;
    const target = join(dir, ...path.split("/"));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
  }
}

export interface TempPlugin {
  /** The plugin folder (inside `base`). */
  dir: string;
  /** A scratch folder holding the plugin, for files that must sit outside it. */
  base: string;
  remove(): Promise<void>;
}

/** Writes the minimal plugin with `overrides` applied into a new temporary folder. */
export async function createTempPlugin(overrides: PluginFiles = {}): Promise<TempPlugin> {
  const base = await mkdtemp(join(tmpdir(), "endpoint-kit-test-"));
  const dir = join(base, "plugin");
  await mkdir(dir);
  await writeFiles(dir, { ...MINIMAL_PLUGIN, ...overrides });
  return { dir, base, remove: () => rm(base, { recursive: true, force: true }) };
}
