/**
 * Property test of the parser, the loader and the rules: corpus manifests, groups and endpoints are
 * mutated by a seeded generator (lines deleted, duplicated, swapped, re-indented, truncated, YAML
 * punctuation and random keys inserted), and every result must
 * - never throw from `parseYamlMapping` or `validateProject` (only the loader's typed
 *   `UnreadablePathError` may escape it),
 * - give every node of a parsed tree offsets inside the text, empty values included,
 * - give every diagnostic a position inside its file: 1 <= line <= lines + 1, 1 <= column <= length
 *   of that line + 1, and an end not before the start.
 * Diagnostics without a position (line 0) are allowed only for `yaml-structure` on an empty or
 * comment-only file, and `file-reference` on a file that could not be read at all (none here).
 * The work is bounded by the iteration counts and the input sizes, not by a clock: a hang in the
 * code under test hangs this test. Set FUZZ_SEED to replay another sequence.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, posix } from "node:path";
import { describe, test } from "node:test";
import type { Diagnostic } from "../src/diagnostics/index.js";
import type { LoadedFile, Project, Reference, YamlFile } from "../src/manifest/model.js";
import { getIn, getNode, isStringNode } from "../src/manifest/query.js";
import { RULES } from "../src/manifest/rules/index.js";
import { validateProject } from "../src/manifest/validate.js";
import { parseYamlMapping, type YamlNode, type YamlScalar } from "../src/manifest/yaml.js";
import { checkPaths } from "../src/project/check.js";
import { UnreadablePathError } from "../src/project/load.js";
import { whyUnsafe } from "../src/project/safe-path.js";
import { CORPUS_DIR } from "./helpers/repo.js";
import { createRandom, type Random } from "./helpers/seeded-random.js";

const SEED = Number(process.env.FUZZ_SEED ?? 20240712);
const IN_MEMORY_RUNS = 400;
const ON_DISK_RUNS = 40;
const MAX_MUTATIONS = 4;
const RULE_IDS = new Set(RULES.map((r) => r.id));
const PROBLEM_CODES = new Set(["syntax", "empty", "multiple-documents", "not-a-mapping", "alias", "tag", "merge-key", "unsafe-key", "too-deep"]);

// ---- the corpus, in memory: plugin folder -> relative path -> text

type PluginFiles = Map<string, string>;

function readPlugin(dir: string): PluginFiles {
  const files: PluginFiles = new Map();
  const walk = (sub: string): void => {
    for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const rel = sub === "" ? entry.name : `${sub}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else if (/\.(ya?ml|py)$/.test(entry.name)) files.set(rel, readFileSync(join(dir, rel), "utf8"));
      else if (sub === "_assets") files.set(rel, ""); // icons only need to exist
    }
  };
  walk("");
  return files;
}

const corpus = readdirSync(CORPUS_DIR, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort()
  .map((name) => ({ name, files: readPlugin(join(CORPUS_DIR, name)) }));

// ---- mutations

const PUNCTUATION = ["[", "]", "{", "}", ":", ": ", ",", "- ", "? ", "*", "&a ", "!", "!!js/function ", "|", ">", "'", '"', "#", "%", "@", "`", "\t", "\n", "\r\n", "---\n", "...\n", "<<: ", "\\", "\uFEFF", "\u0000", "é", "\u2028"];
const KEYS = ["path", "method", "extra", "python", "source", "typescript", "settings", "endpoints", "name", "type", "label", "en_US", "options", "value", "scope", "default", "required", "hidden", "plugins", "meta", "resource", "__proto__", "constructor", "metod", "sorce", "helper", "x"];
const VALUES = ["", "~", "null", "true", "no", "0", "-1", "1e9", "0x1F", "3.12", "GET", "get", "ANY", "/", "/a/<int:id>", "/a/<str:x>", "/<", "../x.py", "/etc/passwd", "endpoints/x.py", "[]", "{}", "[a, b]", "{a: 1}", '"q"', "'s'", "select", "tool-selector", "2024-01-01T00:00:00Z", "&anchor v", "*anchor", "!foo x"];

type Mutation = (text: string, random: Random) => string;

const splitLines = (text: string): string[] => text.split("\n");
const MUTATIONS: Record<string, Mutation> = {
  deleteLine(text, r) {
    const lines = splitLines(text);
    lines.splice(r.int(lines.length), 1);
    return lines.join("\n");
  },
  duplicateLine(text, r) {
    const lines = splitLines(text);
    const i = r.int(lines.length);
    lines.splice(i, 0, lines[i]!);
    return lines.join("\n");
  },
  swapLines(text, r) {
    const lines = splitLines(text);
    const a = r.int(lines.length);
    const b = r.int(lines.length);
    [lines[a], lines[b]] = [lines[b]!, lines[a]!];
    return lines.join("\n");
  },
  insertPunctuation(text, r) {
    const at = r.int(text.length + 1);
    return text.slice(0, at) + r.pick(PUNCTUATION) + text.slice(at);
  },
  reindent(text, r) {
    const lines = splitLines(text);
    const i = r.int(lines.length);
    const line = lines[i]!;
    const choice = r.int(4);
    lines[i] = choice === 0 ? line.trimStart() : choice === 1 ? ` ${line}` : choice === 2 ? `\t${line}` : `${" ".repeat(r.int(12))}${line.trimStart()}`;
    return lines.join("\n");
  },
  randomPair(text, r) {
    const lines = splitLines(text);
    const i = r.int(lines.length + 1);
    const indent = " ".repeat(2 * r.int(4));
    lines.splice(i, 0, `${indent}${r.pick(KEYS)}: ${r.pick(VALUES)}`);
    return lines.join("\n");
  },
  replaceValue(text, r) {
    const lines = splitLines(text);
    const i = r.int(lines.length);
    const colon = lines[i]!.indexOf(": ");
    if (colon < 0) return text;
    lines[i] = `${lines[i]!.slice(0, colon + 2)}${r.pick(VALUES)}`;
    return lines.join("\n");
  },
  renameKey(text, r) {
    const lines = splitLines(text);
    const i = r.int(lines.length);
    lines[i] = lines[i]!.replace(/^(\s*-?\s*)[\w-]+:/, `$1${r.pick(KEYS)}:`);
    return lines.join("\n");
  },
  truncate(text, r) {
    return text.slice(0, r.int(text.length + 1));
  },
  nest(text, r) {
    const depth = 1 + r.int(150);
    const at = r.int(text.length + 1);
    return `${text.slice(0, at)}${"[".repeat(depth)}${r.next() < 0.5 ? "]".repeat(depth) : ""}${text.slice(at)}`;
  },
};
const MUTATION_NAMES = Object.keys(MUTATIONS);

interface Sample {
  plugin: string;
  file: string;
  mutations: string[];
  files: PluginFiles;
}

function createSample(r: Random): Sample {
  const plugin = r.pick(corpus);
  const yamlPaths = [...plugin.files.keys()].filter((p) => /\.ya?ml$/.test(p)).sort();
  const file = r.pick(yamlPaths);
  let text = plugin.files.get(file)!;
  const mutations: string[] = [];
  for (let n = 1 + r.int(MAX_MUTATIONS); n > 0; n--) {
    const name = r.pick(MUTATION_NAMES);
    mutations.push(name);
    text = MUTATIONS[name]!(text, r);
  }
  const files = new Map(plugin.files);
  files.set(file, text);
  return { plugin: plugin.name, file, mutations, files };
}

// ---- an in-memory loader: the same links as src/project/load.ts, without the disk

const ROOT = "/plugin";

function buildProject(files: PluginFiles): Project {
  const project: Project = { root: ROOT, groups: [], references: [], sources: [], files: [] };
  const loaded = new Map<string, YamlFile>();
  const describeFile = (rel: string): LoadedFile => ({ path: `${ROOT}/${rel}`, display: rel, relative: rel, text: files.get(rel) ?? "" });
  const readYaml = (rel: string, role: YamlFile["role"]): YamlFile | undefined => {
    const known = loaded.get(rel);
    if (known) return known;
    if (!files.has(rel)) return undefined;
    const file: YamlFile = { ...describeFile(rel), role };
    const parsed = parseYamlMapping(file.text);
    if (parsed.ok) file.root = parsed.root;
    else file.problem = parsed.problem;
    loaded.set(rel, file);
    project.files.push(file);
    return file;
  };
  const follow = (kind: Reference["kind"], from: YamlFile, node: YamlScalar, target: string): string | undefined => {
    const reference: Reference = { kind, from, node, target, status: "ok" };
    project.references.push(reference);
    const unsafe = whyUnsafe(target);
    if (unsafe) return void Object.assign(reference, { status: "unsafe", detail: unsafe });
    const rel = posix.normalize(target);
    if (!files.has(rel)) return void (reference.status = "missing");
    return rel;
  };

  const manifest = readYaml("manifest.yaml", "manifest");
  if (!manifest) throw new Error("every corpus plugin has a manifest");
  project.manifest = manifest;
  for (const key of ["icon", "icon_dark"]) {
    const icon = getNode(manifest.root, key);
    if (isStringNode(icon)) follow("icon", manifest, icon, `_assets/${icon.value}`);
  }
  const groups = getIn(manifest.root, ["plugins", "endpoints"]);
  for (const item of groups?.kind === "seq" ? groups.items : []) {
    if (!isStringNode(item)) continue;
    const rel = follow("group", manifest, item, item.value);
    const file = rel === undefined ? undefined : readYaml(rel, "group");
    if (!file) continue;
    const group = { file, endpoints: [] as Project["groups"][number]["endpoints"] };
    project.groups.push(group);
    const list = getNode(file.root, "endpoints");
    for (const entry of list?.kind === "seq" ? list.items : []) {
      if (entry.kind === "map") group.endpoints.push({ file, node: entry, listedAt: entry, group });
      if (!isStringNode(entry)) continue;
      const target = follow("endpoint", file, entry, entry.value);
      const endpoint = target === undefined ? undefined : readYaml(target, "endpoint");
      if (endpoint?.root) group.endpoints.push({ file: endpoint, node: endpoint.root, listedAt: entry, group });
    }
  }
  const seen = new Set<string>();
  for (const endpoint of project.groups.flatMap((g) => g.endpoints)) {
    for (const language of ["python", "typescript"] as const) {
      const node = getIn(endpoint.node, ["extra", language, "source"]);
      if (!isStringNode(node)) continue;
      const rel = follow("source", endpoint.file, node, node.value);
      if (rel === undefined || seen.has(rel)) continue;
      seen.add(rel);
      const source = { ...describeFile(rel), language, syntaxErrors: [] };
      project.sources.push(source);
      project.files.push(source);
    }
  }
  return project;
}

// ---- the properties

/** Nodes whose offsets fall outside the text or run backwards, as `start..end` strings. */
function misplacedNodes(node: YamlNode, text: string, out: string[] = []): string[] {
  if (!(node.start >= 0 && node.start <= node.end && node.end <= text.length)) out.push(`${node.kind} ${node.start}..${node.end}`);
  if (node.kind === "seq") for (const item of node.items) misplacedNodes(item, text, out);
  if (node.kind === "map") {
    for (const pair of node.pairs) {
      misplacedNodes(pair.keyNode, text, out);
      misplacedNodes(pair.value, text, out);
    }
  }
  return out;
}

const NO_POSITION: Record<string, RegExp> = {
  "yaml-structure": /^the (file|document) is empty|^the file holds only comments/,
  "file-reference": /^the file /,
};

/** Returns what is wrong with the diagnostics for `texts` (display path -> text), or an empty list. */
function checkDiagnostics(diagnostics: readonly Diagnostic[], texts: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  for (const d of diagnostics) {
    const where = `${d.file}:${d.line}:${d.column} [${d.rule}] ${d.message}`;
    if (!RULE_IDS.has(d.rule)) problems.push(`unknown rule: ${where}`);
    if (d.severity !== "error" && d.severity !== "warning") problems.push(`bad severity: ${where}`);
    if (typeof d.message !== "string" || d.message === "") problems.push(`no message: ${where}`);
    if (d.line === 0) {
      if (!NO_POSITION[d.rule]?.test(d.message)) problems.push(`no position: ${where}`);
      continue;
    }
    const text = texts.get(d.file);
    if (text === undefined) {
      problems.push(`a file that was not read: ${where}`);
      continue;
    }
    const lines = text.split("\n");
    const lineLength = (line: number): number => (lines[line - 1] ?? "").length;
    if (!(Number.isInteger(d.line) && d.line >= 1 && d.line <= lines.length + 1)) problems.push(`line outside the file (${lines.length} lines): ${where}`);
    if (!(Number.isInteger(d.column) && d.column >= 1 && d.column <= lineLength(d.line) + 1)) problems.push(`column outside its line: ${where}`);
    if (d.endLine !== undefined) {
      const endColumn = d.endColumn ?? 1;
      if (d.endLine < d.line || (d.endLine === d.line && endColumn < d.column)) problems.push(`end before start: ${where}`);
      if (d.endLine > lines.length + 1 || endColumn > lineLength(d.endLine) + 1) problems.push(`end outside the file: ${where}`);
    }
  }
  return problems;
}

describe("validate fuzz: mutated corpus files", () => {
  test("the unmutated corpus parses and is positioned (the baseline the mutations start from)", () => {
    for (const plugin of corpus) {
      for (const [path, text] of plugin.files) {
        if (!/\.ya?ml$/.test(path)) continue;
        const parsed = parseYamlMapping(text);
        assert.ok(parsed.ok, `${plugin.name}/${path}`);
        assert.deepEqual(misplacedNodes(parsed.root, text), [], `${plugin.name}/${path}`);
      }
      const project = buildProject(plugin.files);
      assert.deepEqual(checkDiagnostics(validateProject(project), plugin.files), []);
    }
  });

  test(`${IN_MEMORY_RUNS} mutated plugins in memory: no exception, every diagnostic inside its file (seed ${SEED})`, () => {
    const random = createRandom(SEED);
    const codes = new Map<string, number>();
    let positioned = 0;
    for (let run = 0; run < IN_MEMORY_RUNS; run++) {
      const sample = createSample(random);
      const label = `run ${run} (seed ${SEED}): ${sample.plugin}/${sample.file} after ${sample.mutations.join(", ")}`;
      const text = sample.files.get(sample.file)!;
      const parsed = parseYamlMapping(text);
      if (parsed.ok) assert.deepEqual(misplacedNodes(parsed.root, text), [], `${label}: node offsets`);
      else {
        assert.ok(PROBLEM_CODES.has(parsed.problem.code), `${label}: problem code ${parsed.problem.code}`);
        assert.ok(parsed.problem.start >= 0 && parsed.problem.start <= parsed.problem.end && parsed.problem.end <= text.length + 1, `${label}: problem span ${JSON.stringify({ ...parsed.problem, text })}`);
      }
      codes.set(parsed.ok ? "ok" : parsed.problem.code, (codes.get(parsed.ok ? "ok" : parsed.problem.code) ?? 0) + 1);
      let diagnostics: Diagnostic[];
      try {
        diagnostics = validateProject(buildProject(sample.files));
      } catch (error) {
        assert.fail(`${label}: validateProject threw ${String(error)}`);
      }
      assert.deepEqual(checkDiagnostics(diagnostics, sample.files), [], label);
      positioned += diagnostics.filter((d) => d.line > 0).length;
    }
    // The generator must reach both sides: documents that still parse, and each kind of YAML failure that matters.
    assert.ok((codes.get("ok") ?? 0) > IN_MEMORY_RUNS / 10, `parsed: ${JSON.stringify([...codes])}`);
    assert.ok((codes.get("syntax") ?? 0) > 0 && codes.size >= 4, `too few kinds of result: ${JSON.stringify([...codes])}`);
    assert.ok(positioned > IN_MEMORY_RUNS, `${positioned} positioned diagnostics`);
  });

  test(`${ON_DISK_RUNS} mutated plugins through the loader: only typed errors escape (seed ${SEED + 1})`, async () => {
    const random = createRandom(SEED + 1);
    const base = await mkdtemp(join(tmpdir(), "endpoint-kit-fuzz-"));
    try {
      for (let run = 0; run < ON_DISK_RUNS; run++) {
        const sample = createSample(random);
        const label = `disk run ${run} (seed ${SEED + 1}): ${sample.plugin}/${sample.file} after ${sample.mutations.join(", ")}`;
        const dir = join(base, String(run));
        for (const [rel, text] of sample.files) {
          await mkdir(dirname(join(dir, rel)), { recursive: true });
          await writeFile(join(dir, rel), text);
        }
        let result;
        try {
          result = await checkPaths(["."], dir, {});
        } catch (error) {
          assert.ok(error instanceof UnreadablePathError, `${label}: ${String(error)}`);
          continue;
        }
        assert.deepEqual(checkDiagnostics(result.diagnostics, result.sources), [], label);
      }
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });

  test("the same input always gives the same diagnostics", () => {
    const random = createRandom(SEED + 2);
    for (let run = 0; run < 20; run++) {
      const sample = createSample(random);
      assert.deepEqual(validateProject(buildProject(sample.files)), validateProject(buildProject(sample.files)));
    }
  });
});
