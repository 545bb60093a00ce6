/**
 * The shape of the three plugin documents (manifest, endpoint group, endpoint): each object's keys
 * in the order Dify documents them, with what they mean, their value as a JSON Schema fragment and
 * whether Dify requires them. One source of truth: the rules `unknown-key` and `manifest-required`
 * read the keys from here, and `src/schema/generate.ts` turns it into the JSON Schemas shipped in
 * `schemas/`, so editors and `validate` cannot disagree. Values come from `patterns.ts`, which the
 * other structural rules read too. A schema only rejects what a rule reports as an error.
 */
import { CONVERTER_NAMES } from "../router/converters.js";
import {
  ARCHES, AUTHOR_PATTERN, HTTP_METHODS, LOCALES, PLUGIN_NAME_PATTERN, RFC3339_PATTERN, RUNNER_LANGUAGES,
  SCOPES, SETTING_TYPES, SOURCE_EXTENSIONS, TAGS, VERSION_PATTERN,
} from "./patterns.js";

/** A JSON Schema fragment; `{ $object: name }` stands for another object of this file. */
export type Fragment = Record<string, unknown>;

export interface Field {
  /** Plain text for hovers. */
  doc: string;
  /** Markdown for editors that render it (falls back to `doc`). */
  markdown?: string;
  value: Fragment;
  /** Dify refuses the document without it (the `manifest-required` rule, for the manifest). */
  required?: boolean;
}

export interface ObjectShape {
  doc: string;
  fields: Record<string, Field>;
  /** Conditions other rules check (e.g. `manifest-permission`), added to the generated schema. */
  also?: Fragment;
}

/** The objects described here (listed so that `SHAPES` can refer to them while it is being defined). */
export type ObjectName = "manifest" | "meta" | "runner" | "resource" | "permission" | "plugins" | "group" | "setting" | "option" | "endpoint" | "extra" | "python_source" | "typescript_source" | "i18n";

const ref = (name: ObjectName): Fragment => ({ $object: name });
const text = (pattern: RegExp, extra: Fragment = {}): Fragment => ({ type: "string", pattern: pattern.source, ...extra });
const listOf = (items: Fragment, extra: Fragment = {}): Fragment => ({ type: "array", items, ...extra });
/** A path inside the plugin: relative, forward slashes, no `..` (the `unsafe-path` rule). */
const SAFE_PATH = "^(?![/\\\\])(?![A-Za-z]:)(?!.*\\\\)(?!(?:.*/)?\\.\\.(?:/|$))[^\\u0000]+$";
const path = (extra: Fragment = {}): Fragment => ({ type: "string", minLength: 1, allOf: [{ pattern: SAFE_PATH }], ...extra });
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const endsWith = (extensions: readonly string[]): string => `(${extensions.map(escapeRe).join("|")})$`;
/** A werkzeug rule whose converters are the ones werkzeug knows (the `endpoint-path` rule checks the rest). */
const RULE_PATTERN = `^/(?:[^<]|<(?:(?:${CONVERTER_NAMES.join("|")})(?:\\([^)]*\\))?:)?[A-Za-z_][A-Za-z0-9_]*>)*$`;
const scopePattern = (parts: readonly string[]): string => `^\\s*(?:${parts.join("|")})\\s*(?:&\\s*(?:${parts.join("|")})\\s*)*$`;
const SELECTORS = Object.keys(SCOPES);

const SETTING_TYPE_DOCS: Record<(typeof SETTING_TYPES)[number], string> = {
  "secret-input": "A secret (API key, token): Dify encrypts it and masks it in the UI.",
  "text-input": "A line of text.",
  select: "One of `options`.",
  boolean: "A switch: true or false.",
  "app-selector": "A Dify app, chosen from the workspace (narrow with `scope`).",
  "model-selector": "A model, chosen from the workspace's providers (narrow with `scope`).",
  "array[tools]": "A list of tools (Dify's docs call it `tool-selector`, which its code does not know).",
};

export const SHAPES = {
  manifest: {
    doc: "manifest.yaml of a Dify plugin that provides endpoints.",
    fields: {
      version: { doc: "The plugin's version, like \"0.0.1\": three numbers of up to 4 digits and an optional -suffix. Quote it: `1.0` is a number.", value: text(VERSION_PATTERN), required: true },
      type: { doc: "Always `plugin`.", value: { type: "string", enum: ["plugin"] }, required: true },
      author: { doc: "The author's id: 1-64 lower-case letters, digits, `_` and `-`.", value: text(AUTHOR_PATTERN), required: true },
      name: { doc: "The plugin's id: 1-128 lower-case letters, digits, `_` and `-`.", value: text(PLUGIN_NAME_PATTERN), required: true },
      label: { doc: "The plugin's name as shown in Dify.", value: ref("i18n"), required: true },
      description: { doc: "What the plugin does, as shown in Dify.", value: ref("i18n"), required: true },
      icon: { doc: "The icon's file name in `_assets/`.", value: path({ maxLength: 128 }), required: true },
      icon_dark: { doc: "The icon for dark mode, a file name in `_assets/`.", value: path({ maxLength: 128 }) },
      created_at: { doc: "When the plugin was created: an RFC 3339 date-time string such as \"2024-07-12T08:03:44Z\" (quote it).", value: text(RFC3339_PATTERN), required: true },
      resource: { doc: "What the plugin may use on Dify: memory and permissions.", value: ref("resource"), required: true },
      plugins: { doc: "The extensions the plugin provides: `endpoints` lists its endpoint group file.", value: ref("plugins"), required: true },
      meta: { doc: "Versions, architectures and how Dify runs the plugin.", value: ref("meta"), required: true },
      tags: { doc: "Categories from Dify's list.", value: listOf({ type: "string", enum: [...TAGS] }) },
      privacy: { doc: "Path of the privacy policy (Markdown) shipped with the plugin.", value: { type: "string" } },
      repo: { doc: "URL of the plugin's source repository.", value: { type: "string" } },
      verified: { doc: "Set by Dify's marketplace.", value: { type: "boolean" } },
    },
  },
  meta: {
    doc: "Versions, architectures and the runner.",
    fields: {
      version: { doc: "The manifest format's version, like \"0.0.1\".", value: text(VERSION_PATTERN), required: true },
      arch: { doc: "CPU architectures the plugin runs on.", value: listOf({ type: "string", enum: [...ARCHES] }, { minItems: 1 }), required: true },
      runner: { doc: "How Dify starts the plugin.", value: ref("runner"), required: true },
      minimum_dify_version: { doc: "The oldest Dify version the plugin works with, like \"1.0.0\".", value: { type: "string" } },
    },
  },
  runner: {
    doc: "How Dify starts the plugin.",
    fields: {
      language: { doc: "`python` (the only language Dify runs); `typescript` is served by endpoint-kit locally.", value: { type: "string", enum: [...RUNNER_LANGUAGES] }, required: true },
      version: { doc: "The language version, as a string: \"3.12\".", value: { type: ["string", "number"], minLength: 1 }, required: true },
      entrypoint: { doc: "The module Dify runs: `main` for main.py.", value: { type: ["string", "number"], minLength: 1 }, required: true },
    },
  },
  resource: {
    doc: "What the plugin may use on Dify.",
    fields: {
      memory: { doc: "Memory the plugin may use, in bytes (268435456 is 256 MiB).", value: { type: "integer", minimum: 1 }, required: true },
      permission: { doc: "What the plugin may reach in Dify: endpoints need `endpoint.enabled: true`.", value: ref("permission") },
    },
    also: { required: ["permission"] },
  },
  permission: {
    doc: "What the plugin may reach in Dify.",
    fields: {
      endpoint: {
        doc: "Must be enabled, or Dify installs the plugin but refuses to create its endpoints.",
        markdown: "Must be `enabled: true`, or Dify installs the plugin but refuses to create its endpoints (\"permission denied\").",
        value: { type: "object", properties: { enabled: { description: "Must be true.", type: "boolean", enum: [true] } }, required: ["enabled"] },
      },
      storage: {
        doc: "Persistent key-value storage for the plugin (`session.storage`).",
        value: { type: "object", properties: { enabled: { type: "boolean" }, size: { description: "Bytes, 1024 to 1073741824.", type: "integer", minimum: 1024, maximum: 1073741824 } } },
      },
      tool: { doc: "Calls to Dify's tools.", value: { type: "object" } },
      model: { doc: "Calls to Dify's models.", value: { type: "object" } },
      app: { doc: "Calls to Dify's apps.", value: { type: "object" } },
      node: { doc: "Calls to workflow nodes.", value: { type: "object" } },
    },
    also: { required: ["endpoint"] },
  },
  plugins: {
    doc: "The extensions the plugin provides.",
    fields: {
      endpoints: { doc: "The endpoint group file (one per plugin), relative to the plugin folder.", value: listOf(path({ maxLength: 128 }), { minItems: 1 }) },
      tools: { doc: "Tool provider files.", value: listOf({ type: "string" }) },
      models: { doc: "Model providers cannot stand beside endpoints: Dify rejects the package.", value: { not: {} } },
      agent_strategies: { doc: "Agent strategies cannot stand beside endpoints: Dify rejects the package.", value: { not: {} } },
      datasources: { doc: "Datasources cannot stand beside endpoints: Dify rejects the package.", value: { not: {} } },
      triggers: { doc: "Triggers cannot stand beside endpoints: Dify rejects the package.", value: { not: {} } },
    },
    // Checked by `manifest-plugins`, not `manifest-required`.
    also: { required: ["endpoints"] },
  },
  group: {
    doc: "An endpoint group: the settings a user fills in when creating an endpoint, and the endpoints.",
    fields: {
      settings: {
        doc: "The settings, as a list. Dify's docs show a map keyed by name, which its parsers reject.",
        markdown: "The settings, **as a list** (`- name: api_key`). Dify's docs show a map keyed by name, which its parsers reject.",
        value: listOf(ref("setting")),
      },
      endpoints: { doc: "Endpoint files (relative to the plugin folder), or endpoint mappings written inline.", value: listOf({ anyOf: [path(), ref("endpoint")] }) },
    },
  },
  setting: {
    doc: "A setting the user fills in when creating an endpoint; its value reaches the handler in `settings`.",
    fields: {
      name: { doc: "The key in `settings`: unique, non-empty, under 1024 characters, and not `name`.", value: { type: "string", minLength: 1, maxLength: 1023, not: { enum: ["name"] } } },
      type: {
        doc: "The kind of input.",
        value: { type: "string", enum: [...SETTING_TYPES], markdownEnumDescriptions: SETTING_TYPES.map((t) => SETTING_TYPE_DOCS[t]) },
      },
      label: { doc: "The setting's label.", value: ref("i18n") },
      required: { doc: "Whether a value must be given.", value: { type: "boolean" } },
      default: { doc: "The value when none is given.", value: { type: ["string", "number", "boolean"] } },
      options: { doc: "The choices of a `select`: fewer than 128.", value: listOf(ref("option"), { maxItems: 127 }) },
      scope: { doc: "Narrows an app-selector (all, chat, workflow, completion) or model-selector (llm, text-embedding, ...), parts joined by `&`.", value: { type: "string" } },
      help: { doc: "Help text under the input.", value: ref("i18n") },
      placeholder: { doc: "Placeholder text in the input.", value: ref("i18n") },
      url: { doc: "A link shown beside the help text (where to get an API key).", value: { type: "string" } },
      multiple: { doc: "Whether several values may be chosen.", value: { type: "boolean" } },
    },
    also: {
      required: ["name", "type"],
      allOf: [
        { if: { properties: { type: { const: "select" } }, required: ["type"] }, then: { required: ["options"], properties: { options: { minItems: 1 } } } },
        { if: { properties: { type: { enum: SELECTORS } }, required: ["type"] }, else: { not: { required: ["scope"] } } },
        ...SELECTORS.map((type) => ({
          if: { properties: { type: { const: type } }, required: ["type"] },
          // A model-selector's `all` passes Dify's SDK (a warning, not an error).
          then: { properties: { scope: { pattern: scopePattern(type === "model-selector" ? [...SCOPES[type]!, "all"] : SCOPES[type]!) } } },
        })),
      ],
    },
  },
  option: {
    doc: "One choice of a `select` setting.",
    fields: {
      value: { doc: "The value the handler receives: a non-empty string under 128 characters (quote numbers).", value: { type: "string", minLength: 1, maxLength: 127 }, required: true },
      label: { doc: "The choice as shown.", value: ref("i18n"), required: true },
      show_on: { doc: "Conditions under which the choice is shown.", value: { type: "array" } },
    },
  },
  endpoint: {
    doc: "One endpoint: a path and method served by a class in a source file.",
    fields: {
      path: {
        doc: "A werkzeug rule starting with `/`, e.g. /items/<int:id>. Converters: default, string, any, path, int, float, uuid.",
        markdown: "A werkzeug rule starting with `/`, e.g. `/items/<int:id>`.\n\nConverters: `string` (default), `any(a, b)`, `path`, `int`, `float`, `uuid`. No trailing `/` unless callers always send it.",
        value: { type: "string", pattern: RULE_PATTERN },
        required: true,
      },
      method: { doc: "The HTTP method, in upper case. Dify never routes PATCH.", value: { type: "string", enum: [...HTTP_METHODS] }, required: true },
      hidden: { doc: "Hide the endpoint's URL in Dify's UI.", value: { type: "boolean" } },
      extra: { doc: "Where the endpoint's code lives: `python.source` (Dify) and/or `typescript.source` (endpoint-kit).", value: ref("extra"), required: true },
    },
  },
  extra: {
    doc: "Where the endpoint's code lives.",
    fields: {
      python: { doc: "The Python implementation, which Dify runs.", value: ref("python_source") },
      typescript: { doc: "The TypeScript/JavaScript implementation, which endpoint-kit serves.", value: ref("typescript_source") },
    },
    also: { anyOf: [{ required: ["python"], properties: { python: { required: ["source"] } } }, { required: ["typescript"], properties: { typescript: { required: ["source"] } } }] },
  },
  python_source: {
    doc: "The Python implementation.",
    fields: { source: { doc: "A .py file declaring one subclass of `Endpoint`, relative to the plugin folder.", value: path({ pattern: endsWith(SOURCE_EXTENSIONS.python) }) } },
  },
  typescript_source: {
    doc: "The TypeScript/JavaScript implementation.",
    fields: { source: { doc: "A .ts, .mts, .js or .mjs file exporting one class extending `Endpoint`, relative to the plugin folder.", value: path({ pattern: endsWith(SOURCE_EXTENSIONS.typescript) }) } },
  },
  i18n: {
    doc: "Text in several languages: `en_US` is required.",
    fields: Object.fromEntries(LOCALES.map((locale) => [locale, {
      doc: locale === "en_US" ? "English (required, non-empty)." : `Text for ${locale} (Dify reads ${LOCALES.join(", ")}).`,
      value: { type: ["string", "number", "boolean"], maxLength: 1023, ...(locale === "en_US" ? { pattern: "\\S" } : {}) },
      required: locale === "en_US",
    }])),
  },
} satisfies Record<ObjectName, ObjectShape>;


/** The keys Dify reads in an object, in documented order. */
export function keysOf(name: ObjectName): string[] {
  return Object.keys(SHAPES[name].fields);
}

/** Every required key path of the manifest, parents before children (the `manifest-required` rule). */
export function requiredManifestPaths(): string[][] {
  const paths: string[][] = [];
  const walk = (name: ObjectName, prefix: string[]): void => {
    for (const [key, field] of Object.entries(SHAPES[name].fields) as Array<[string, Field]>) {
      if (!field.required) continue;
      paths.push([...prefix, key]);
      const nested = field.value.$object as ObjectName | undefined;
      if (nested !== undefined && nested !== "i18n") walk(nested, [...prefix, key]);
    }
  };
  walk("manifest", []);
  return paths;
}
