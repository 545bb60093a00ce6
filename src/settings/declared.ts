/**
 * The settings a group declares, read from its positioned YAML into plain data: what `dev` checks a
 * local settings file against (and what `init` writes an example for).
 */
import type { Group } from "../manifest/model.js";
import { getNode, stringOf } from "../manifest/query.js";
import type { YamlMap } from "../manifest/yaml.js";

export interface DeclaredSetting {
  name: string;
  type: string;
  required: boolean;
  default?: string | number | boolean;
  options: string[];
}

export function declaredSettings(group: Group | undefined): DeclaredSetting[] {
  return declaredSettingsIn(group?.file.root);
}

/** The same, from a group file's parsed root (`init endpoint` reads the group without loading the plugin). */
export function declaredSettingsIn(root: YamlMap | undefined): DeclaredSetting[] {
  const list = getNode(root, "settings");
  if (list?.kind !== "seq") return [];
  const settings: DeclaredSetting[] = [];
  for (const item of list.items) {
    if (item.kind !== "map") continue;
    const name = stringOf(getNode(item, "name"));
    if (!name) continue;
    const required = getNode(item, "required");
    const fallback = getNode(item, "default");
    const options = getNode(item, "options");
    const setting: DeclaredSetting = {
      name,
      type: stringOf(getNode(item, "type")) ?? "text-input",
      required: required?.kind === "scalar" && required.value === true,
      options: options?.kind === "seq" ? options.items.flatMap((o) => (o.kind === "map" ? [String((getNode(o, "value") as { value?: unknown } | undefined)?.value ?? "")] : [])) : [],
    };
    if (fallback?.kind === "scalar" && fallback.value !== null) setting.default = fallback.value;
    settings.push(setting);
  }
  return settings;
}
