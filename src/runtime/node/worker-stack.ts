/**
 * Stack traces that name the plugin's own files: the worker evaluates bundled CommonJS, so each frame
 * in a bundle is remapped through that bundle's source map (inline maps are ignored by `vm`).
 * Runs inside the worker thread.
 */
import { SourceMap } from "node:module";
import path from "node:path";

interface MappedBundle {
  map: SourceMap;
  sourceDir: string;
}

/** The original position of the first remapped frame of an error (1-based). */
export interface OriginalPosition {
  file: string;
  line: number;
  column: number;
}

/** Old versions stay mapped for a while, so in-flight calls on old code still get readable stacks. */
const VERSIONS_KEPT = 3;
const bundles = new Map<string, MappedBundle>();
const versionsBySource = new Map<string, string[]>();
const firstPositions = new WeakMap<object, OriginalPosition>();
// Frames below a plugin's code that belong to this runtime only say how the call was dispatched.
const runtimeDirectory = new URL(".", import.meta.url).href;

/** Registers the map of one evaluated bundle, known to V8 under `bundleName`. */
export function registerSourceMap(source: string, bundleName: string, sourceFile: string, mapText: string): void {
  const payload: unknown = JSON.parse(mapText);
  bundles.set(bundleName, { map: new SourceMap(payload as ConstructorParameters<typeof SourceMap>[0]), sourceDir: path.dirname(sourceFile) });
  const versions = versionsBySource.get(source) ?? [];
  versions.push(bundleName);
  while (versions.length > VERSIONS_KEPT) bundles.delete(versions.shift() as string);
  versionsBySource.set(source, versions);
}

export function forgetSourceMaps(source: string): void {
  for (const name of versionsBySource.get(source) ?? []) bundles.delete(name);
  versionsBySource.delete(source);
}

/** Where the error was raised in the plugin's own code, when its stack has been formatted. */
export function originalPositionOf(error: unknown): OriginalPosition | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  void (error as { stack?: unknown }).stack;
  return firstPositions.get(error);
}

function remapFrame(frame: NodeJS.CallSite): { text: string; position?: OriginalPosition } {
  const text = String(frame);
  const fileName = frame.getFileName();
  const bundle = fileName === undefined || fileName === null ? undefined : bundles.get(fileName);
  const line = frame.getLineNumber();
  const column = frame.getColumnNumber();
  if (bundle === undefined || line === null || column === null) return { text };
  const entry = bundle.map.findEntry(line - 1, column - 1);
  if (!("originalSource" in entry) || entry.originalSource === undefined) return { text };
  const position = {
    file: path.resolve(bundle.sourceDir, entry.originalSource),
    line: entry.originalLine + 1,
    column: entry.originalColumn + 1,
  };
  const generated = `${fileName}:${line}:${column}`;
  const original = `${position.file}:${position.line}:${position.column}`;
  const at = text.lastIndexOf(generated);
  const remapped = at === -1 ? `${text} [${original}]` : text.slice(0, at) + original + text.slice(at + generated.length);
  return { text: remapped, position };
}

function prepareStackTrace(error: Error, frames: NodeJS.CallSite[]): string {
  let header: string;
  try {
    header = Error.prototype.toString.call(error);
  } catch {
    header = "Error";
  }
  const lines = [header];
  let inPluginCode = false;
  for (const frame of frames) {
    if (inPluginCode && frame.getFileName()?.startsWith(runtimeDirectory) === true) break;
    const { text, position } = remapFrame(frame);
    if (position !== undefined) {
      inPluginCode = true;
      if (!firstPositions.has(error)) firstPositions.set(error, position);
    }
    lines.push(`    at ${text}`);
  }
  return lines.join("\n");
}

export function installStackRemapping(): void {
  Error.prepareStackTrace = prepareStackTrace;
}
