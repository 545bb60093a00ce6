/**
 * `validate --fix` for one plugin: the fixes are worked out on a scratch copy of the files the
 * rules read, pass after pass (a fix can uncover the next problem: the map form of `settings`
 * hides its settings' typos until it is a list), until no rule offers a fix that applies. What
 * changed is then written to the plugin through `writer.ts` (`--fix`) or shown as a diff
 * (`--fix-dry-run`). The plugin itself is only ever written once, at the end.
 */
import { lstat, readdir } from "node:fs/promises";
import { join, posix, relative, sep } from "node:path";
import { editDistance } from "../diagnostics/did-you-mean.js";
import { sortDiagnostics, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Project, ValidateOptions } from "../manifest/model.js";
import { validateProject } from "../manifest/validate.js";
import { loadProject, type Entry } from "../project/load.js";
import { readPluginFile } from "../project/read-file.js";
import { applyFixes } from "./apply-fixes.js";
import { createScratch, createWriter } from "./writer.js";

/** Enough for any chain of fixes the rules make (each pass fixes every problem it can see). */
const MAX_PASSES = 8;

export interface FixedFile {
  /** Relative to the plugin root, with `/`. */
  relative: string;
  /** As shown to the user (relative to the working directory). */
  display: string;
  /** Undefined for a file the fixes create. */
  before: string | undefined;
  after: string;
}

export interface FixResult {
  root: string;
  files: FixedFile[];
  /** Each fix made, with the diagnostic it fixes (positions as in the file when the fix was made). */
  applied: Diagnostic[];
  /** What the rules still report once every fix is made (displays as in the plugin). */
  remaining: Diagnostic[];
  /** The files' texts once fixed, by display, for snippets. */
  sources: Map<string, string>;
  /** How many files were checked. */
  checked: number;
}

/** Works out the fixes for the plugin or group at `entry`; writes nothing to the plugin. */
export async function planFixes(entry: Entry, cwd: string, options: ValidateOptions): Promise<FixResult> {
  const original = await loadProject(entry, cwd);
  const displayOf = (rel: string): string => relative(cwd, join(entry.root, rel)).split(sep).join("/") || rel;
  const scratch = await createScratch();
  try {
    const sandbox = createWriter(scratch.root);
    const texts = new Map<string, string>();
    for (const file of original.files) {
      if (file.relative.startsWith("../") || ("unreadable" in file && file.unreadable)) continue;
      texts.set(file.relative, file.text);
      await sandbox.write(file.relative, file.text);
    }
    // Icons are not read, only found: an empty stand-in is enough for the rules.
    for (const ref of original.references) {
      if (ref.kind === "icon" && ref.status === "ok" && !texts.has(ref.target)) await sandbox.write(ref.target, "");
    }
    const scratchEntry: Entry = entry.kind === "plugin"
      ? { kind: "plugin", root: scratch.root }
      : { kind: "group", root: scratch.root, group: join(scratch.root, relative(entry.root, entry.group)) };
    const before = new Map(texts);
    const applied: Diagnostic[] = [];
    /** Paths that exist in the plugin but were not copied (links, unreadable files): never created over. */
    const blocked = new Set<string>();
    const load = async (): Promise<Project> => {
      // A fix can make a file the plugin has relevant (`sorce` -> `source` names the source):
      // copy such files in before the rules look, so that nothing is created over them.
      for (;;) {
        const loaded = await loadProject(scratchEntry, scratch.root);
        let copied = false;
        for (const ref of loaded.references) {
          if (ref.status !== "missing" || blocked.has(ref.target) || texts.has(ref.target)) continue;
          const real = join(entry.root, ref.target);
          const info = await lstat(real).catch(() => undefined);
          if (info === undefined) continue;
          const read = info.isFile() ? await readPluginFile(real) : undefined;
          if (read?.status !== "ok") {
            blocked.add(ref.target);
            continue;
          }
          const text = ref.kind === "icon" ? "" : read.text;
          await sandbox.write(ref.target, text);
          if (ref.kind !== "icon") {
            texts.set(ref.target, text);
            before.set(ref.target, text);
          }
          copied = true;
        }
        if (!copied) return loaded;
      }
    };
    let project: Project = await load();
    let diagnostics = validateProject(project, options);
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      const current = new Map(project.files.map((f) => [f.relative, f.text]));
      for (const d of diagnostics) {
        const create = d.fix?.create?.relative;
        if (create !== undefined && (await hasCloseSibling(entry.root, create))) blocked.add(create);
      }
      const result = applyFixes(current, diagnostics.filter((d) => d.fix), (rel) => current.has(rel) || texts.has(rel) || blocked.has(rel));
      if (result.changed.size === 0 && result.created.size === 0) break;
      for (const [rel, text] of [...result.changed, ...result.created]) {
        await sandbox.write(rel, text);
        texts.set(rel, text);
      }
      applied.push(...sortDiagnostics(result.applied.map(({ diagnostic }) => ({ ...diagnostic, file: displayOf(diagnostic.fix!.relative) }))));
      project = await load();
      diagnostics = validateProject(project, options);
    }
    const files: FixedFile[] = [];
    for (const [rel, after] of texts) {
      if (before.get(rel) !== after) files.push({ relative: rel, display: displayOf(rel), before: before.get(rel), after });
    }
    const sources = new Map(project.files.map((f) => [displayOf(f.relative), f.text]));
    const remaining = diagnostics.map((d) => ({ ...d, file: displayOf(d.file) }));
    return { root: entry.root, files, applied, remaining, sources, checked: project.files.length };
  } finally {
    await scratch.remove();
  }
}

/**
 * Whether the plugin has a file of the same kind whose name is a typo away (`helo.py` beside
 * `hello.py`): the reference may be the typo, so creating a stub would not be what was meant.
 */
async function hasCloseSibling(root: string, rel: string): Promise<boolean> {
  const name = posix.basename(rel);
  const extension = posix.extname(name);
  const stem = name.slice(0, name.length - extension.length).toLowerCase();
  const names = await readdir(join(root, posix.dirname(rel))).catch(() => [] as string[]);
  return names.some((other) => other !== name && posix.extname(other) === extension && editDistance(stem, other.slice(0, other.length - extension.length).toLowerCase()) <= 2);
}

/** Writes the fixed files into the plugin (through the writer's checks). */
export async function writeFixes(result: FixResult): Promise<void> {
  const writer = createWriter(result.root);
  for (const file of result.files) await writer.write(file.relative, file.after);
}
