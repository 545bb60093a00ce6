/**
 * Small readers over the positioned YAML tree, so rules say what they look for, not how to walk.
 */
import type { YamlMap, YamlNode, YamlPair, YamlScalar } from "./yaml.js";

export function getPair(map: YamlMap | undefined, key: string): YamlPair | undefined {
  return map?.pairs.find((p) => p.key === key);
}

export function getNode(map: YamlMap | undefined, key: string): YamlNode | undefined {
  return getPair(map, key)?.value;
}

/** Follows nested mappings: `getIn(root, ["meta", "runner", "language"])`. */
export function getIn(map: YamlMap | undefined, keys: readonly string[]): YamlNode | undefined {
  let node: YamlNode | undefined = map;
  for (const key of keys) {
    if (node?.kind !== "map") return undefined;
    node = getNode(node, key);
  }
  return node;
}

/** The pair at the end of a key path: `getPairIn(root, ["meta", "runner"])` is the `runner` key and its value. */
export function getPairIn(map: YamlMap | undefined, keys: readonly string[]): YamlPair | undefined {
  let pair: YamlPair | undefined;
  let node: YamlNode | undefined = map;
  for (const key of keys) {
    if (node?.kind !== "map") return undefined;
    pair = getPair(node, key);
    node = pair?.value;
  }
  return pair;
}

export function asMap(node: YamlNode | undefined): YamlMap | undefined {
  return node?.kind === "map" ? node : undefined;
}

export function isStringNode(node: YamlNode | undefined): node is YamlScalar & { value: string } {
  return node?.kind === "scalar" && typeof node.value === "string";
}

/** The string value of a scalar, or undefined for anything else. */
export function stringOf(node: YamlNode | undefined): string | undefined {
  return isStringNode(node) ? node.value : undefined;
}

/** A value as written in a message: a string quoted (`"x86_64"`), anything else described. */
export function showValue(node: YamlNode | undefined): string {
  return isStringNode(node) ? JSON.stringify(node.value) : describeNode(node);
}

/** Says what a node is, for messages: "a list", "a mapping", "the number 2", "null". */
export function describeNode(node: YamlNode | undefined): string {
  if (!node) return "nothing";
  if (node.kind === "map") return "a mapping";
  if (node.kind === "seq") return "a list";
  const v = node.value;
  if (v === null) return "null";
  if (typeof v === "string") return v === "" ? "an empty string" : `the string ${JSON.stringify(v)}`;
  return `the ${typeof v} ${String(v)}`;
}
