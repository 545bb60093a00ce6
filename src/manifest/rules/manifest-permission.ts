import { defineRule, type Fix } from "../rule.js";
import { getIn, getPairIn } from "../query.js";
import { appendToBlockMap, indentStepOf, replaceScalar } from "../edits.js";
import type { YamlMap, YamlNode } from "../yaml.js";

/** Adds what is missing of `permission.endpoint.enabled: true` under the deepest block mapping there is. */
function enableFix(text: string, resource: YamlMap, enabled: YamlNode | undefined): Fix | undefined {
  const title = "set `resource.permission.endpoint.enabled: true`";
  if (enabled) {
    const edit = enabled.kind === "scalar" ? replaceScalar(text, enabled, "true") : undefined;
    return edit && { title, edits: [{ ...edit, text: "true" }] };
  }
  const step = " ".repeat(indentStepOf(text));
  const chain = ["permission", "endpoint", "enabled"];
  let map = resource;
  let depth = 0;
  for (; depth < chain.length - 1; depth++) {
    const next = getIn(map, [chain[depth]!]);
    if (next === undefined) break;
    if (next.kind !== "map") return undefined; // `permission:` with no value, or a list: not ours to guess
    map = next;
  }
  const lines = chain.slice(depth).map((key, i, rest) => `${step.repeat(i)}${key}:${i === rest.length - 1 ? " true" : ""}`);
  const edit = appendToBlockMap(text, map, lines);
  return edit && { title, edits: [edit] };
}

export const manifestPermission = defineRule({
  id: "manifest-permission",
  description: "`resource.permission.endpoint.enabled` is true, or Dify refuses to create the plugin's endpoints",
  severity: "error",
  check({ project, report }) {
    const manifest = project.manifest;
    const resource = getIn(manifest?.root, ["resource"]);
    if (!manifest || resource?.kind !== "map") return;
    const enabled = getIn(resource, ["permission", "endpoint", "enabled"]);
    if (enabled?.kind === "scalar" && enabled.value === true) return;
    // Point at the wrong value, or else at the deepest key of the path that is there.
    const deepest = [["resource", "permission", "endpoint"], ["resource", "permission"], ["resource"]].map((keys) => getPairIn(manifest.root, keys)).find(Boolean);
    report(manifest, enabled ?? deepest?.keyNode ?? { start: resource.start, end: resource.start },
      "the endpoint permission is not enabled: the plugin installs, but creating an endpoint fails with \"permission denied\"",
      { hint: "add `resource.permission.endpoint.enabled: true`", fix: enableFix(manifest.text, resource, enabled) });
  },
});
