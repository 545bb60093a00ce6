/**
 * Planning, the pure half of `init`: template files and answers in, the exact files to write out
 * (paths relative to the target folder, and their bytes). Nothing here touches the disk; `write.ts`
 * writes a plan, and `templates.ts` reads template folders.
 */
import { dump } from "js-yaml";
import { InputError } from "../errors.js";
import { parseYamlMapping } from "../manifest/yaml.js";
import { whyUnsafe } from "../project/safe-path.js";
import type { InitSettingType, SettingAnswer } from "./answers.js";
import { toLabel } from "./names.js";
import { escaperFor, renderTemplate, type TemplateValues, type TemplateVariable } from "./render.js";
import { appendListItem } from "./yaml-list.js";
import { dependsOnEndpointKit, withModeline } from "./modeline.js";

/** One file of a template folder: its path (with `/`, may hold variables) and its bytes. */
export interface TemplateFile {
  path: string;
  bytes: Uint8Array;
}

/** One file to write: its path inside the target folder (with `/`) and its bytes. */
export interface PlannedFile {
  path: string;
  bytes: Uint8Array;
}

export interface PlanOptions {
  /** Shown in messages about the template, e.g. `templates/python`. */
  templateName: string;
  values: TemplateValues;
  /** Added to the group's `settings`; also shapes `settings.local.example.yaml`. */
  settings: readonly SettingAnswer[];
  /** Plan only the template files whose path uses this variable (`init endpoint`: `endpoint_name`). */
  only?: TemplateVariable;
  /**
   * Puts a schema modeline atop the YAML files: `version` is endpoint-kit's; `installed` says
   * whether the plugin depends on endpoint-kit (when left out: whether the planned package.json does).
   */
  schemas?: { version: string; installed?: boolean };
}

export const SETTINGS_EXAMPLE_FILE = "settings.local.example.yaml";
/** npm drops `.gitignore` from published packages, so templates ship it as `_gitignore` (and dot files alike). */
const RENAMED: Readonly<Record<string, string>> = { _gitignore: ".gitignore", _difyignore: ".difyignore", _github: ".github" };
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
const utf8 = new TextDecoder("utf-8", { fatal: true });
const encoder = new TextEncoder();

/** Plans a plugin (or, with `only`, one endpoint) from a template; throws `InputError` for a broken template. */
export function planScaffold(template: readonly TemplateFile[], options: PlanOptions): PlannedFile[] {
  const planned: PlannedFile[] = [];
  const seen = new Set<string>();
  const selected = template.filter((file) => options.only === undefined || file.path.includes(`{{${options.only}}}`));
  for (const file of [...selected].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const path = planPath(file.path, options);
    if (seen.has(path)) throw new InputError(`${options.templateName}/${file.path}: two template files become ${path}`);
    seen.add(path);
    planned.push({ path, bytes: renderFile(file, path, options) });
  }
  if (options.only === undefined) {
    if (options.settings.length > 0) addSettingsToGroup(planned, options);
    if (!seen.has(SETTINGS_EXAMPLE_FILE)) {
      planned.push({ path: SETTINGS_EXAMPLE_FILE, bytes: encoder.encode(renderSettingsExample(options.settings)) });
    }
  }
  if (options.schemas) addModelines(planned, selected, options, options.schemas);
  return planned;
}

/** Links each planned manifest, group and endpoint file to its JSON Schema (see `modeline.ts`). */
function addModelines(planned: PlannedFile[], template: readonly TemplateFile[], options: PlanOptions, schemas: { version: string; installed?: boolean }): void {
  const packageJson = planned.find((file) => file.path === "package.json");
  const link = { version: schemas.version, installed: schemas.installed ?? dependsOnEndpointKit(packageJson && utf8.decode(packageJson.bytes)) };
  const group = groupPathOf(planned);
  const endpoints = new Set(template.filter((f) => f.path.includes("{{endpoint_name}}") && f.path.endsWith(".yaml")).map((f) => planPath(f.path, options)));
  for (const file of planned) {
    const document = file.path === "manifest.yaml" ? "manifest" : file.path === group ? "group" : endpoints.has(file.path) ? "endpoint" : undefined;
    if (document === undefined) continue;
    file.bytes = encoder.encode(withModeline(utf8.decode(file.bytes), document, file.path, link));
  }
}

/** The group file the planned manifest lists first in `plugins.endpoints`. */
function groupPathOf(planned: readonly PlannedFile[]): string | undefined {
  const manifest = planned.find((file) => file.path === "manifest.yaml");
  if (manifest === undefined) return undefined;
  const parsed = parseYamlMapping(utf8.decode(manifest.bytes));
  const plugins = parsed.ok ? parsed.root.pairs.find((p) => p.key === "plugins")?.value : undefined;
  const endpoints = plugins?.kind === "map" ? plugins.pairs.find((p) => p.key === "endpoints")?.value : undefined;
  const first = endpoints?.kind === "seq" ? endpoints.items[0] : undefined;
  return first?.kind === "scalar" && typeof first.value === "string" ? first.value : undefined;
}

function planPath(templatePath: string, options: PlanOptions): string {
  const rendered = renderTemplate(templatePath, options.values);
  if (!rendered.ok) throw new InputError(`${options.templateName}/${templatePath}: unknown template variable {{${rendered.variable}}} in the file name`);
  const segments = rendered.text.split("/").map((segment) => RENAMED[segment] ?? segment);
  const path = segments.join("/");
  const unsafe = whyUnsafe(path) ?? (segments.some((s) => s === "" || s === ".") ? "the path has an empty segment" : undefined);
  if (unsafe !== undefined || CONTROL_CHARACTERS.test(path)) {
    throw new InputError(`${options.templateName}/${templatePath}: the file name becomes ${JSON.stringify(path)}: ${unsafe ?? "it contains a control character"}`);
  }
  return path;
}

function renderFile(file: TemplateFile, path: string, options: PlanOptions): Uint8Array {
  let text: string;
  try {
    text = utf8.decode(file.bytes);
  } catch {
    return file.bytes; // binary files (images) are copied as they are
  }
  if (text.includes("\0")) return file.bytes;
  const rendered = renderTemplate(text, options.values, escaperFor(path));
  if (!rendered.ok) {
    const before = text.slice(0, rendered.offset);
    const line = before.split("\n").length;
    const column = rendered.offset - before.lastIndexOf("\n");
    throw new InputError(
      `${options.templateName}/${file.path}:${line}:${column}: unknown template variable {{${rendered.variable}}}`,
      `known variables: ${Object.keys(options.values).join(", ")}`,
    );
  }
  return encoder.encode(rendered.text);
}

/** Appends the settings to the group file the planned manifest points to, keeping its text. */
function addSettingsToGroup(planned: PlannedFile[], options: PlanOptions): void {
  const where = `${options.templateName}: cannot add settings`;
  if (!planned.some((file) => file.path === "manifest.yaml")) throw new InputError(`${where}: the template has no manifest.yaml`);
  const groupPath = groupPathOf(planned);
  const group = planned.find((file) => file.path === groupPath);
  if (group === undefined) throw new InputError(`${where}: manifest.yaml lists no group file of the template in plugins.endpoints`);
  let text = utf8.decode(group.bytes);
  for (const setting of options.settings) {
    const edit = appendListItem(text, "settings", settingDeclaration(setting));
    if (!edit.ok) throw new InputError(`${options.templateName}/${group.path}: cannot add settings: ${edit.message}`);
    text = edit.text;
  }
  group.bytes = encoder.encode(text);
}

/** A ProviderConfig as Dify's group files declare it. */
export function settingDeclaration(setting: SettingAnswer): Record<string, unknown> {
  return { name: setting.name, type: setting.type, required: setting.required, label: { en_US: toLabel(setting.name) } };
}

const EXAMPLE_VALUES: Readonly<Record<InitSettingType, unknown>> = {
  "secret-input": "",
  "text-input": "",
  boolean: false,
  "app-selector": { app_id: "" },
  "model-selector": { provider: "", model: "", model_type: "llm" },
  "array[tools]": [],
};

/** The example settings file: a mapping of setting name to a value of the right shape. */
export function renderSettingsExample(settings: readonly SettingAnswer[]): string {
  const header =
    "# Values for the endpoint settings, as a Dify user types them in when creating the endpoint.\n" +
    "# `endpoint-kit dev` reads settings.local.yaml (git-ignored): copy this file there and fill it in.\n";
  if (settings.length === 0) return `${header}{}\n`;
  const values: Record<string, unknown> = {};
  for (const setting of settings) values[setting.name] = EXAMPLE_VALUES[setting.type];
  return header + dump(values, { lineWidth: -1 });
}
