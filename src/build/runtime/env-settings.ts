/**
 * Settings of a built plugin, read from the platform's environment (Workers bindings, `process.env`,
 * `Deno.env`): one variable per setting, typed as Dify stores it and checked as `dev` checks a
 * settings file. Bundled into the output, so platform-neutral. Messages never quote a value.
 */
import { typeProblem } from "../../settings/check-settings.js";
import type { DeclaredSetting } from "../../settings/declared.js";

/** A declared setting and the variable it is read from. */
export interface EnvSetting extends DeclaredSetting {
  variable: string;
}

export interface EnvSettingsResult {
  /** What `_invoke` receives: declared settings that have a value, defaults applied. */
  values: Record<string, unknown>;
  /** One line per problem, naming the setting and its variable. */
  problems: string[];
}

const STRUCTURED = new Set(["app-selector", "model-selector", "array[tools]"]);

/** Reads and checks every setting from `env` (variables are strings; Workers vars may be JSON values). */
export function settingsFromEnv(settings: readonly EnvSetting[], env: Readonly<Record<string, unknown>>): EnvSettingsResult {
  const result: EnvSettingsResult = { values: {}, problems: [] };
  for (const setting of settings) {
    const raw = Object.hasOwn(env, setting.variable) ? env[setting.variable] : undefined;
    if (raw === undefined || raw === null) {
      if (setting.default !== undefined) result.values[setting.name] = setting.default;
      else if (setting.required) result.problems.push(`required setting \`${setting.name}\` (${setting.type}) has no value: set ${setting.variable}`);
      continue;
    }
    const parsed = parse(setting, raw);
    if ("problem" in parsed) {
      result.problems.push(`setting \`${setting.name}\` (from ${setting.variable}) ${parsed.problem}`);
      continue;
    }
    const problem = typeProblem(setting, undefined, parsed.value);
    if (problem !== undefined) {
      result.problems.push(`${problem.message} (from ${setting.variable})${problem.hint ? `: ${problem.hint}` : ""}`);
      continue;
    }
    result.values[setting.name] = parsed.value;
  }
  return result;
}

function parse(setting: DeclaredSetting, raw: unknown): { value: unknown } | { problem: string } {
  if (typeof raw !== "string") return { value: raw };
  if (setting.type === "boolean") {
    const lower = raw.trim().toLowerCase();
    if (lower === "true") return { value: true };
    if (lower === "false") return { value: false };
    return { problem: "must be true or false" };
  }
  if (STRUCTURED.has(setting.type)) {
    try {
      return { value: JSON.parse(raw) as unknown };
    } catch {
      return { problem: "must be JSON" };
    }
  }
  return { value: raw };
}
