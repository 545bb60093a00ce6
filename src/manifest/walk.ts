/**
 * Iterators over the parts rules look at (settings, endpoints, I18n objects), so that each rule
 * states its check and not the shape of the tree.
 */
import type { Endpoint, Group, Project, YamlFile } from "./model.js";
import { getNode, getPair } from "./query.js";
import type { YamlMap, YamlNode } from "./yaml.js";

export interface SettingSite {
  group: Group;
  file: YamlFile;
  node: YamlMap;
  index: number;
}

/** Every setting written in list form (the map form is reported by `group-settings`). */
export function* eachSetting(project: Project): Generator<SettingSite> {
  for (const group of project.groups) {
    const list = getNode(group.file.root, "settings");
    if (list?.kind !== "seq") continue;
    let index = 0;
    for (const item of list.items) {
      if (item.kind === "map") yield { group, file: group.file, node: item, index };
      index++;
    }
  }
}

export function* eachEndpoint(project: Project): Generator<Endpoint> {
  for (const group of project.groups) yield* group.endpoints;
}

export interface I18nSite {
  file: YamlFile;
  /** The key that holds the I18n object, e.g. `label`. */
  key: string;
  keyNode: YamlNode;
  node: YamlNode;
  required: boolean;
}

/** I18n objects of the manifest, the settings and their select options. */
export function* eachI18n(project: Project): Generator<I18nSite> {
  const manifest = project.manifest;
  if (manifest?.root) {
    for (const key of ["label", "description"]) {
      const pair = getPair(manifest.root, key);
      if (pair) yield { file: manifest, key, keyNode: pair.keyNode, node: pair.value, required: true };
    }
  }
  for (const setting of eachSetting(project)) {
    for (const key of ["label", "help", "placeholder"]) {
      const pair = getPair(setting.node, key);
      if (pair) yield { file: setting.file, key, keyNode: pair.keyNode, node: pair.value, required: key === "label" };
    }
    const options = getNode(setting.node, "options");
    if (options?.kind !== "seq") continue;
    for (const option of options.items) {
      const pair = option.kind === "map" ? getPair(option, "label") : undefined;
      if (pair) yield { file: setting.file, key: "label", keyNode: pair.keyNode, node: pair.value, required: true };
    }
  }
}
