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

export const MINIMAL_GROUP = `settings: []
endpoints:
  - endpoints/hello.yaml
`;

export const MINIMAL_ENDPOINT = `path: "/hello"
method: "GET"
extra:
  python:
    source: "endpoints/hello.py"
`;

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
