/**
 * A plugin's identity as Dify names it, `author/name:version@checksum`, read from `manifest.yaml`.
 */
import { getNode, stringOf } from "../manifest/query.js";
import type { YamlMap } from "../manifest/yaml.js";
import { parseYamlMapping } from "../manifest/yaml.js";

export interface PluginIdentity {
  author: string;
  name: string;
  version: string;
}

/** The identity fields of a parsed manifest; missing ones read as `?` (validate reports them). */
export function identityOf(manifest: YamlMap | undefined): PluginIdentity {
  const field = (key: string) => {
    const node = getNode(manifest, key);
    return stringOf(node) ?? (node?.kind === "scalar" && node.value !== null ? String(node.value) : "?");
  };
  return { author: field("author"), name: field("name"), version: field("version") };
}

/** The identity of a manifest's text, or `undefined` when it is not a YAML mapping. */
export function identityOfText(text: string): PluginIdentity | undefined {
  const parsed = parseYamlMapping(text);
  return parsed.ok ? identityOf(parsed.root) : undefined;
}

/** `author/name:version@checksum`, as the daemon prints a plugin's unique identifier. */
export function formatIdentity(identity: PluginIdentity, checksum: string): string {
  return `${identity.author}/${identity.name}:${identity.version}@${checksum}`;
}

/**
 * The daemon refuses to upload a package whose author parses as a UUID ("cannot set author to an
 * UUID"): Go's `uuid.Parse` takes the dashed 36-character form and 32 bare hex digits.
 */
export function isUuidLikeAuthor(author: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(author) || /^[0-9a-f]{32}$/i.test(author);
}
