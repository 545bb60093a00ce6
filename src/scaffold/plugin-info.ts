/**
 * What `init endpoint` needs to know of an existing plugin: its identity and language (from the
 * manifest), and its group file's path and text (the file that gains the new endpoint).
 */
import { lstat, readFile } from "node:fs/promises";
import { join } from "node:path";
import { InputError } from "../errors.js";
import { getIn, stringOf } from "../manifest/query.js";
import { parseYamlMapping } from "../manifest/yaml.js";
import { readPluginFile, MAX_FILE_BYTES } from "../project/read-file.js";
import { resolveInside, whyUnsafe } from "../project/safe-path.js";
import type { Language } from "./answers.js";
import type { PluginIdentity } from "./values.js";

export interface PluginInfo extends PluginIdentity {
  /** The group file's text as it is on disk (a byte-order mark kept). */
  groupText: string;
}

const LANGUAGE_OF_RUNNER: Readonly<Record<string, Language>> = { python: "python", typescript: "typescript", javascript: "typescript", node: "typescript" };

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

/** Reads the plugin in `root`; `display` is the folder as the user wrote it. Throws `InputError`. */
export async function readPluginInfo(root: string, display: string): Promise<PluginInfo> {
  const manifestPath = join(display, "manifest.yaml");
  const manifest = await readPluginFile(join(root, "manifest.yaml"));
  if (manifest.status !== "ok") {
    const why = manifest.status === "missing" ? "not found" : manifest.status;
    throw new InputError(`${manifestPath}: ${why}`, "run `endpoint-kit init endpoint` inside a plugin folder, or pass --dir <plugin>");
  }
  const parsed = parseYamlMapping(manifest.text);
  if (!parsed.ok) throw new InputError(`${manifestPath}: ${parsed.problem.message}`, "run `endpoint-kit validate` to see where");
  const root_ = parsed.root;
  const groups = getIn(root_, ["plugins", "endpoints"]);
  const first = groups?.kind === "seq" ? groups.items[0] : undefined;
  const groupFile = stringOf(first);
  if (groupFile === undefined) throw new InputError(`${manifestPath}: plugins.endpoints lists no group file`, "add one, e.g. `endpoints: [group/endpoints.yaml]`");
  const unsafe = whyUnsafe(groupFile);
  if (unsafe !== undefined) throw new InputError(`${manifestPath}: plugins.endpoints: ${unsafe}`);
  const resolved = await resolveInside(root, groupFile);
  if (resolved.status === "escapes") throw new InputError(`${manifestPath}: plugins.endpoints: ${groupFile} leads outside the plugin through a symbolic link`);
  const groupText = await readGroupText(join(root, groupFile), join(display, groupFile));

  const runner = stringOf(getIn(root_, ["meta", "runner", "language"]));
  let language = runner === undefined ? undefined : LANGUAGE_OF_RUNNER[runner];
  if (language === undefined && (await exists(join(root, "main.py")))) language = "python";
  if (language === undefined && (await exists(join(root, "package.json")))) language = "typescript";
  if (language === undefined) throw new InputError(`${manifestPath}: cannot tell the plugin's language from meta.runner.language`, "set it to python or typescript");

  return {
    name: stringOf(getIn(root_, ["name"])) ?? "plugin",
    author: stringOf(getIn(root_, ["author"])) ?? "author",
    description: stringOf(getIn(root_, ["description", "en_US"])) ?? "",
    createdAt: stringOf(getIn(root_, ["created_at"])) ?? "",
    language,
    groupFile,
    groupText,
  };
}

async function readGroupText(path: string, display: string): Promise<string> {
  const info = await lstat(path).catch(() => undefined);
  if (info === undefined) throw new InputError(`${display}: the group file listed in manifest.yaml does not exist`);
  if (info.isSymbolicLink()) throw new InputError(`${display} is a symbolic link: init never writes through one`);
  if (!info.isFile()) throw new InputError(`${display}: not a regular file`);
  if (info.size > MAX_FILE_BYTES) throw new InputError(`${display}: larger than 1 MiB`);
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(await readFile(path));
  } catch {
    throw new InputError(`${display}: not valid UTF-8`);
  }
}
