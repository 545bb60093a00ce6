/**
 * The plugin as the rules see it: every file that was read (with its positioned YAML tree or the
 * reason it could not be used) and every reference between files with what became of it. The
 * project loader builds it from disk; rules only read it, so they stay pure.
 */
import type { YamlMap, YamlProblem, YamlScalar, YamlNode } from "./yaml.js";

/** A file the loader looked at. `display` is the path shown to users. */
export interface LoadedFile {
  path: string;
  display: string;
  /** Path relative to the plugin root with forward slashes. */
  relative: string;
  text: string;
}

export interface YamlFile extends LoadedFile {
  role: "manifest" | "group" | "endpoint";
  root?: YamlMap;
  problem?: YamlProblem;
  /** Why the file itself could not be read, for a file no other file names (a manifest, a group given on the command line). */
  unreadable?: { status: Exclude<ReferenceStatus, "ok" | "unsafe">; detail?: string };
}

/** Why a referenced file could not be used (`ok` when it could). */
export type ReferenceStatus =
  | "ok"
  | "unsafe"
  | "escapes"
  | "missing"
  | "not-a-file"
  | "not-regular"
  | "too-large"
  | "unreadable"
  | "invalid-utf8";

export interface Reference {
  kind: "group" | "endpoint" | "source" | "icon";
  /** The file and node that name the target. */
  from: YamlFile;
  node: YamlScalar;
  /** The target as written. */
  target: string;
  status: ReferenceStatus;
  /** For `unsafe`: why; for `invalid-utf8`: where. */
  detail?: string;
}

export interface Group {
  file: YamlFile;
  /** Endpoint definitions: files, or mappings written inline in the group. */
  endpoints: Endpoint[];
}

export interface Endpoint {
  /** The file holding the definition (the group itself for an inline one). */
  file: YamlFile;
  node: YamlMap;
  /** Where the endpoint is listed in its group. */
  listedAt: YamlNode;
  group: Group;
}

export interface SourceFile extends LoadedFile {
  language: "python" | "typescript";
  /** Syntax errors found by compiling (TypeScript/JavaScript only), offsets into `text`. */
  syntaxErrors: Array<{ message: string; line: number; column: number }>;
}

export interface Project {
  /** Absolute path of the plugin root (the folder of the manifest or of the group). */
  root: string;
  manifest?: YamlFile;
  groups: Group[];
  references: Reference[];
  sources: SourceFile[];
  /** Every file read, for the `files` count and for source snippets. */
  files: LoadedFile[];
}

export interface ValidateOptions {
  target?: "dify";
}
