/**
 * Which environment variable carries each setting in a built plugin: one variable per setting, its
 * name in upper snake case (`api_key` -> `API_KEY`), with an optional prefix. Pure; a name that two
 * settings share, or that the platform already uses (`PATH`, `PORT`...), is a build error.
 */
import type { DeclaredSetting } from "../settings/declared.js";
import type { EnvSetting } from "./runtime/env-settings.js";

/** Variables a process environment already uses, or the built servers read themselves. */
const RESERVED = new Set([
  "PATH", "HOME", "USER", "SHELL", "PWD", "OLDPWD", "LANG", "LANGUAGE", "TERM", "TZ", "TMPDIR", "HOSTNAME", "LOGNAME",
  "PORT", "HOST", "NODE_ENV", "NODE_OPTIONS", "NODE_PATH", "DENO_DIR", "BUN_INSTALL", "CI",
]);

export interface EnvMapping {
  settings: EnvSetting[];
  problems: string[];
}

/** The variable name for one setting name. */
export function variableName(setting: string, prefix = ""): string {
  const snake = setting.replace(/[^A-Za-z0-9]+/g, "_").replace(/^_+|_+$/g, "").toUpperCase();
  const name = `${prefix}${snake === "" ? "SETTING" : snake}`;
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/** Maps every declared setting to its variable; `prefix` must itself be a valid variable start. */
export function mapSettingsToEnv(declared: readonly DeclaredSetting[], prefix = ""): EnvMapping {
  const settings: EnvSetting[] = [];
  const problems: string[] = [];
  const owners = new Map<string, string>();
  for (const setting of declared) {
    const variable = variableName(setting.name, prefix);
    const owner = owners.get(variable);
    if (owner !== undefined) {
      problems.push(`settings \`${owner}\` and \`${setting.name}\` would both be read from ${variable}: rename one of them`);
      continue;
    }
    if (RESERVED.has(variable)) {
      problems.push(`setting \`${setting.name}\` would be read from ${variable}, which the platform already uses: build with --env-prefix (for example --env-prefix PLUGIN_)`);
      continue;
    }
    owners.set(variable, setting.name);
    settings.push({ ...setting, variable });
  }
  return { settings, problems };
}
