/**
 * Checks a local settings file against the group's declared settings the way Dify checks them when
 * an endpoint is created, applies defaults, and returns the plain values `_invoke` receives.
 * Pure: the file was parsed by the caller; messages never quote a value (it may be a secret).
 */
import type { Severity } from "../diagnostics/diagnostic.js";
import type { YamlMap, YamlNode } from "../manifest/yaml.js";
import { didYouMean } from "../diagnostics/did-you-mean.js";
import type { DeclaredSetting } from "./declared.js";
import { secretTexts } from "./mask.js";

export interface SettingsProblem {
  start: number;
  end: number;
  severity: Severity;
  message: string;
  hint?: string;
}

export interface SettingsResult {
  values: Record<string, unknown>;
  problems: SettingsProblem[];
  /** Values of secret-input settings, to mask in every output. */
  secrets: string[];
}

/** Converts a positioned node to the plain value Dify would store. */
export function plainValue(node: YamlNode): unknown {
  if (node.kind === "scalar") return node.value;
  if (node.kind === "seq") return node.items.map(plainValue);
  const out: Record<string, unknown> = {};
  for (const pair of node.pairs) out[pair.key] = plainValue(pair.value);
  return out;
}

/**
 * Why `value` does not fit the setting's type, if it does not. `node` is where it was written, when
 * it came from YAML (it only decides whether quoting is worth suggesting).
 */
export function typeProblem(setting: DeclaredSetting, node: YamlNode | undefined, value: unknown): Omit<SettingsProblem, "start" | "end" | "severity"> | undefined {
  switch (setting.type) {
    case "text-input":
    case "secret-input":
      return typeof value === "string" ? undefined : { message: `setting \`${setting.name}\` (${setting.type}) must be a string`, hint: node?.kind === "scalar" ? "quote the value" : undefined };
    case "select":
      if (typeof value !== "string") return { message: `setting \`${setting.name}\` (select) must be a string`, hint: node?.kind === "scalar" ? "quote the value" : undefined };
      return setting.options.includes(value) ? undefined : { message: `setting \`${setting.name}\` is not one of its options`, hint: `use one of: ${setting.options.join(", ")}` };
    case "boolean":
      return typeof value === "boolean" ? undefined : { message: `setting \`${setting.name}\` (boolean) must be true or false` };
    case "app-selector":
      return isObjectWith(value, ["app_id"]) ? undefined : { message: `setting \`${setting.name}\` (app-selector) must be a mapping with \`app_id\``, hint: "for example `{ app_id: 1f2e... }`" };
    case "model-selector":
      return isObjectWith(value, ["provider", "model", "model_type"]) ? undefined : { message: `setting \`${setting.name}\` (model-selector) must be a mapping with \`provider\`, \`model\` and \`model_type\``, hint: "for example `{ provider: openai, model: gpt-4o, model_type: llm }`" };
    default:
      return undefined;
  }
}

function isObjectWith(value: unknown, keys: string[]): boolean {
  return value !== null && typeof value === "object" && !Array.isArray(value) && keys.every((k) => Object.hasOwn(value, k));
}

/** `root` is the parsed file, or undefined when there is no settings file. */
export function checkSettings(declared: readonly DeclaredSetting[], root: YamlMap | undefined): SettingsResult {
  const result: SettingsResult = { values: {}, problems: [], secrets: [] };
  const at = root ? { start: root.start, end: root.start } : { start: 0, end: 0 };
  const names = declared.map((d) => d.name);
  for (const pair of root?.pairs ?? []) {
    const setting = declared.find((d) => d.name === pair.key);
    const value = plainValue(pair.value);
    result.values[pair.key] = value;
    if (!setting) {
      result.problems.push({ ...pair.keyNode, severity: "warning", message: `\`${pair.key}\` is not a declared setting: it is passed to the endpoint as it is`, hint: didYouMean(pair.key, names) });
      continue;
    }
    // Any type: a number or a list given to a secret-input is still a secret (and reported below).
    if (setting.type === "secret-input") result.secrets.push(...secretTexts(value));
    // An empty value: fine when optional; a required one is reported once below, as missing.
    if (value === null) continue;
    const problem = typeProblem(setting, pair.value, value);
    if (problem) result.problems.push({ start: pair.value.start, end: pair.value.end, severity: "error", ...problem });
  }
  for (const setting of declared) {
    if (Object.hasOwn(result.values, setting.name) && result.values[setting.name] !== null) continue;
    if (setting.default !== undefined) {
      result.values[setting.name] = setting.default;
    } else if (setting.required) {
      result.problems.push({ ...at, severity: "error", message: `required setting \`${setting.name}\` (${setting.type}) has no value`, hint: root ? `add \`${setting.name}: ...\`` : "write the settings file: copy settings.local.example.yaml to settings.local.yaml, or pass --settings <file>" });
    }
  }
  return result;
}
