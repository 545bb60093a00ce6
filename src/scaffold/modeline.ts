/**
 * The `# yaml-language-server: $schema=...` line `init` puts at the top of each YAML file it writes,
 * so that editors using yaml-language-server (VS Code's YAML extension, JetBrains, Zed) complete and
 * check the file. It points at the installed package's schema when the plugin depends on
 * endpoint-kit (works offline, follows upgrades), else at the published package's URL. It is a
 * comment: Dify's parsers and the rules ignore it.
 */
import { posix } from "node:path";
import { schemaFileName, type SchemaDocument } from "../schema/generate.js";

export const MODELINE_PREFIX = "# yaml-language-server: $schema=";

/** Where the schemas of a given version are published. */
export function publishedSchemaUrl(document: SchemaDocument, version: string): string {
  return `https://unpkg.com/endpoint-kit@${version}/schemas/${schemaFileName(document)}`;
}

/** Where a YAML file (path relative to the plugin, with `/`) finds the schema. */
export function schemaLocation(document: SchemaDocument, file: string, options: SchemaLinkOptions): string {
  if (!options.installed) return publishedSchemaUrl(document, options.version);
  const relative = posix.relative(posix.dirname(file), `node_modules/endpoint-kit/schemas/${schemaFileName(document)}`);
  return relative.startsWith(".") ? relative : `./${relative}`;
}

export interface SchemaLinkOptions {
  /** The plugin lists endpoint-kit in its package.json, so `node_modules/endpoint-kit/` will exist. */
  installed: boolean;
  /** endpoint-kit's version, for the published URL. */
  version: string;
}

/** The text with a modeline on its first line, unless it already has one. */
export function withModeline(text: string, document: SchemaDocument, file: string, options: SchemaLinkOptions): string {
  if (text.startsWith("# yaml-language-server:") || /^# yaml-language-server:/m.test(text.slice(0, 1000))) return text;
  const newline = text.includes("\r\n") ? "\r\n" : "\n";
  return `${MODELINE_PREFIX}${schemaLocation(document, file, options)}${newline}${text}`;
}

/** Whether a package.json (text) lists endpoint-kit among its dependencies of any kind. */
export function dependsOnEndpointKit(packageJson: string | undefined): boolean {
  if (packageJson === undefined) return false;
  try {
    const parsed = JSON.parse(packageJson) as Record<string, unknown>;
    return ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"].some((key) => {
      const deps = parsed[key];
      return deps !== null && typeof deps === "object" && Object.hasOwn(deps, "endpoint-kit");
    });
  } catch {
    return false;
  }
}
