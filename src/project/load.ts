/**
 * Finds and reads a plugin from disk: manifest -> groups -> endpoint files -> sources. The only part
 * of `validate` that touches the file system; what it could not read is recorded in the model for
 * the rules to report, and unsafe paths are never opened.
 */
import { lstatSync, realpathSync, statSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { basename, dirname, extname, join, relative, sep } from "node:path";
import type { Endpoint, Group, LoadedFile, Project, Reference, SourceFile, YamlFile } from "../manifest/model.js";
import { getIn, getNode, isStringNode } from "../manifest/query.js";
import { parseYamlMapping, type YamlScalar } from "../manifest/yaml.js";
import { readPluginFile } from "./read-file.js";
import { resolveInside, whyUnsafe, type RealDirCache } from "./safe-path.js";
import { findSyntaxErrors } from "./compile-check.js";

/** What a path on the command line turned out to be. */
export type Entry = { kind: "plugin"; root: string } | { kind: "group"; root: string; group: string };

export class UnreadablePathError extends Error {}

/** Decides what a command-line path is; throws `UnreadablePathError` when it cannot be used. */
export async function findEntry(path: string): Promise<Entry> {
  let info;
  try {
    // Synchronous, like the reads (see read-file.ts): a thread-pool round trip per path given costs more.
    info = statSync(path);
  } catch {
    throw new UnreadablePathError(`${path}: no such file or folder`);
  }
  if (info.isFile()) {
    if (basename(path) === "manifest.yaml") return { kind: "plugin", root: dirname(path) };
    return { kind: "group", root: await guessGroupRoot(path), group: path };
  }
  if (!info.isDirectory()) throw new UnreadablePathError(`${path}: not a regular file or folder`);
  // Any manifest.yaml makes a plugin, so one that is a FIFO or a folder is reported, not skipped.
  if (await exists(join(path, "manifest.yaml"))) return { kind: "plugin", root: path };
  const group = await findGroupIn(path);
  if (!group) throw new UnreadablePathError(`${path}: no manifest.yaml and no endpoint group YAML found here`);
  return { kind: "group", root: await guessGroupRoot(group), group };
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}

async function exists(path: string): Promise<boolean> {
  try {
    return Promise.resolve(lstatSync(path, { throwIfNoEntry: false }) !== undefined);
  } catch {
    return Promise.resolve(false);
  }
}

/** A group file lists `endpoints:`; look in the folder and its `group/` or `provider/` subfolders. */
async function findGroupIn(dir: string): Promise<string | undefined> {
  for (const sub of ["", "group", "provider", "groups"]) {
    const folder = join(dir, sub);
    const names = await readdir(folder).catch(() => [] as string[]);
    for (const name of names.sort()) {
      if (!/\.ya?ml$/.test(name)) continue;
      const read = await readPluginFile(join(folder, name));
      if (read.status === "ok" && /^endpoints\s*:/m.test(read.text)) return join(folder, name);
    }
  }
  return undefined;
}

/** Endpoint paths are relative to the plugin root: the group's folder, or its parent (`group/x.yaml`). */
async function guessGroupRoot(group: string): Promise<string> {
  const own = dirname(group);
  const parent = dirname(own);
  if (await isFile(join(parent, "manifest.yaml"))) return parent;
  if (["group", "groups", "provider"].includes(basename(own))) return parent;
  return own;
}

/** Loads everything the entry links to. */
export async function loadProject(entry: Entry, cwd: string): Promise<Project> {
  const loader = new Loader(entry.root, cwd);
  if (entry.kind === "plugin") await loader.loadManifest();
  else await loader.loadGroup(entry.group, undefined);
  await loader.checkSources();
  return loader.project;
}

/**
 * Parsed YAML by text (the trees are never modified): `dev` loads the whole plugin on every save,
 * and only the edited files need parsing again. Bounded so a long session cannot grow it without end.
 */
const parsedYaml = new Map<string, ReturnType<typeof parseYamlMapping>>();
const MAX_PARSED = 4096;

function parseCached(text: string): ReturnType<typeof parseYamlMapping> {
  let parsed = parsedYaml.get(text);
  if (parsed === undefined) {
    parsed = parseYamlMapping(text);
    if (parsedYaml.size >= MAX_PARSED) parsedYaml.clear();
    parsedYaml.set(text, parsed);
  }
  return parsed;
}

class Loader {
  readonly project: Project;
  constructor(root: string, private readonly cwd: string) {
    this.project = { root, groups: [], references: [], sources: [], files: [] };
  }

  private describe(path: string): Pick<LoadedFile, "display" | "relative"> {
    const shown = relative(this.cwd, path) || basename(path);
    return { display: shown.split(sep).join("/"), relative: relative(this.project.root, path).split(sep).join("/") };
  }

  /**
   * Reads and parses a YAML file; on failure the latest reference (when given) records why. A file no
   * reference names is kept with the reason, for `file-reference` to report; one that cannot be
   * read at all (permissions) throws `UnreadablePathError`.
   */
  private async readYaml(path: string, role: YamlFile["role"], reference?: Reference): Promise<YamlFile | undefined> {
    // A file no reference names (the manifest itself) gets the containment check references get:
    // a manifest.yaml linking to /etc/passwd must not have a line of it printed in a CI log.
    const read = reference === undefined && this.escapesRoot(path) ? { status: "escapes" as const, detail: undefined } : await readPluginFile(path);
    if (read.status !== "ok") {
      if (reference) {
        Object.assign(reference, { status: read.status, detail: read.detail });
        return undefined;
      }
      const display = this.describe(path).display;
      if (read.status === "unreadable") throw new UnreadablePathError(`${display}: cannot be read (${read.detail ?? "error"})`);
      const file: YamlFile = { path, ...this.describe(path), text: "", role, unreadable: { status: read.status, detail: read.detail } };
      this.project.files.push(file);
      return file;
    }
    const file: YamlFile = { path, ...this.describe(path), text: read.text, role };
    const parsed = parseCached(read.text);
    if (parsed.ok) file.root = parsed.root;
    else file.problem = parsed.problem;
    this.project.files.push(file);
    this.yamlByPath.set(path, file);
    return file;
  }

  async loadManifest(): Promise<void> {
    const path = join(this.project.root, "manifest.yaml");
    const manifest = await this.readYaml(path, "manifest");
    if (!manifest) throw new UnreadablePathError(`${this.describe(path).display}: cannot be read`);
    this.project.manifest = manifest;
    const icon = getNode(manifest.root, "icon");
    if (isStringNode(icon)) await this.follow("icon", manifest, icon, `_assets/${icon.value}`);
    for (const key of ["icon_dark"]) {
      const node = getNode(manifest.root, key);
      if (isStringNode(node)) await this.follow("icon", manifest, node, `_assets/${node.value}`);
    }
    const list = getIn(manifest.root, ["plugins", "endpoints"]);
    if (list?.kind !== "seq") return;
    for (const item of list.items) {
      if (!isStringNode(item)) continue;
      const path = await this.follow("group", manifest, item, item.value);
      if (path) await this.loadGroup(path, this.lastReference());
    }
  }

  /** Records a reference and returns the path to open when it may and can be opened. */
  private async follow(kind: Reference["kind"], from: YamlFile, node: YamlScalar, target: string): Promise<string | undefined> {
    const reference: Reference = { kind, from, node, target, status: "ok" };
    this.project.references.push(reference);
    const unsafe = whyUnsafe(target);
    if (unsafe) {
      reference.status = "unsafe";
      reference.detail = unsafe;
      return undefined;
    }
    const resolved = await resolveInside(this.project.root, target, this.realRoot(), this.realDirs);
    if (resolved.status !== "ok") {
      reference.status = resolved.status;
      return undefined;
    }
    if (resolved.kind === "folder") reference.status = "not-a-file";
    else if (resolved.kind !== "file") reference.status = "not-regular";
    return reference.status === "ok" ? join(this.project.root, target) : undefined;
  }

  /** True when `path` exists and, symlinks resolved, lies outside the plugin root. */
  private escapesRoot(path: string): boolean {
    const root = this.realRoot();
    let real: string;
    try {
      real = realpathSync.native(path);
    } catch {
      return false;
    }
    return root !== undefined && real !== root && !real.startsWith(root.endsWith(sep) ? root : root + sep);
  }

  /** The plugin root with symlinks resolved, computed once. */
  private realRoot(): string | undefined {
    if (this.cachedRealRoot === undefined) {
      try {
        this.cachedRealRoot = realpathSync.native(this.project.root);
      } catch {
        return undefined;
      }
    }
    return this.cachedRealRoot;
  }

  private cachedRealRoot: string | undefined;
  private readonly realDirs: RealDirCache = new Map();
  /** YAML files read so far, so an endpoint listed twice is read once. */
  private readonly yamlByPath = new Map<string, YamlFile>();

  private lastReference(): Reference {
    return this.project.references[this.project.references.length - 1]!;
  }

  /** Loads a group named by the manifest (`reference`) or on the command line (no reference). */
  async loadGroup(path: string, reference: Reference | undefined): Promise<void> {
    const file = await this.readYaml(path, "group", reference);
    if (!file) {
      if (reference) return;
      throw new UnreadablePathError(`${this.describe(path).display}: cannot be read`);
    }
    const group: Group = { file, endpoints: [] };
    this.project.groups.push(group);
    const list = getNode(file.root, "endpoints");
    if (list?.kind !== "seq") return;
    for (const item of list.items) {
      if (item.kind === "map") {
        group.endpoints.push({ file, node: item, listedAt: item, group });
        continue;
      }
      if (!isStringNode(item)) continue;
      const target = await this.follow("endpoint", file, item, item.value);
      if (!target) continue;
      const endpointFile = this.yamlByPath.get(target);
      const loaded = endpointFile ?? (await this.readYaml(target, "endpoint", this.lastReference()));
      if (loaded?.root) group.endpoints.push({ file: loaded, node: loaded.root, listedAt: item, group });
    }
  }

  /** Reads every source an endpoint names, once, and compiles TypeScript/JavaScript for syntax errors. */
  async checkSources(): Promise<void> {
    const seen = new Map<string, SourceFile | undefined>();
    const endpoints: Endpoint[] = this.project.groups.flatMap((g) => g.endpoints);
    for (const endpoint of endpoints) {
      for (const language of ["python", "typescript"] as const) {
        const node = getIn(endpoint.node, ["extra", language, "source"]);
        if (!isStringNode(node)) continue;
        const target = await this.follow("source", endpoint.file, node, node.value);
        if (!target || seen.has(target)) continue;
        const read = await readPluginFile(target);
        if (read.status !== "ok") {
          Object.assign(this.lastReference(), { status: read.status, detail: read.detail });
          seen.set(target, undefined);
          continue;
        }
        const source: SourceFile = { path: target, ...this.describe(target), text: read.text, language, syntaxErrors: [] };
        seen.set(target, source);
        this.project.sources.push(source);
        this.project.files.push(source);
      }
    }
    const scripts = this.project.sources.filter((s) => s.language === "typescript");
    if (scripts.length > 0) {
      const results = await findSyntaxErrors(scripts.map((s) => ({ text: s.text, loader: extname(s.path) })));
      scripts.forEach((s, i) => (s.syntaxErrors = results[i] ?? []));
    }
  }
}
