/**
 * Which of a plugin's settings holds each key a provider needs: matched by name (`channel_secret`,
 * `verify_token`, `encoding_aes_key`...) after lower-casing and dropping `_` and `-`, exact names
 * first, then a setting whose name ends with one of them (`my_slack_signing_secret`).
 */
import type { Keys, Provider } from "./types.js";

function squash(name: string): string {
  return name.toLowerCase().replace(/[_\-\s.]/g, "");
}

/** The setting that holds `candidates`' key, among the declared `settingNames`. */
export function matchSetting(candidates: string[], settingNames: string[]): string | undefined {
  const wanted = candidates.map(squash);
  for (const candidate of wanted) {
    const exact = settingNames.find((s) => squash(s) === candidate);
    if (exact) return exact;
  }
  for (const candidate of wanted) {
    // Suffix matches only for multi-word names, so `token` alone never grabs `bot_access_token`.
    if (candidate.length < 8) continue;
    const suffix = settingNames.find((s) => squash(s).endsWith(candidate));
    if (suffix) return suffix;
  }
  return undefined;
}

/** Where each key of an event comes from. */
export interface KeySource {
  key: string;
  from: "flag" | "setting" | "fallback" | "missing";
  setting?: string;
}

export interface ResolveInput {
  /** Values given on the command line, by key name (`--secret` alone names the first key the event needs). */
  given: Keys;
  /** Setting names given with `--secret-setting`, by key name. */
  settingFor: Record<string, string>;
  /** The plugin's declared settings and their values (from the settings file). */
  settings: Record<string, unknown>;
  declared: string[];
}

/** Resolves the keys named (those an event uses): a flag wins, then the named or matched setting, then the fallback. */
export function resolveKeys(provider: Provider, keyNames: string[], input: ResolveInput): { keys: Keys; sources: KeySource[] } {
  const keys: Keys = {};
  const sources: KeySource[] = [];
  for (const spec of provider.keys.filter((k) => keyNames.includes(k.name))) {
    const given = input.given[spec.name];
    if (given !== undefined) {
      keys[spec.name] = given;
      sources.push({ key: spec.name, from: "flag" });
      continue;
    }
    const setting = input.settingFor[spec.name] ?? matchSetting(spec.settingNames, input.declared);
    const value = setting === undefined ? undefined : input.settings[setting];
    if (setting !== undefined && value !== undefined && value !== null && String(value) !== "") {
      keys[spec.name] = String(value);
      sources.push({ key: spec.name, from: "setting", setting });
    } else if (spec.fallback !== undefined) {
      keys[spec.name] = spec.fallback;
      sources.push({ key: spec.name, from: "fallback" });
    } else sources.push({ key: spec.name, from: "missing", ...(setting !== undefined ? { setting } : {}) });
  }
  return { keys, sources };
}
