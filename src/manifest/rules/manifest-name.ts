import { defineRule } from "../rule.js";
import { getNode, describeNode } from "../query.js";
import { AUTHOR_PATTERN, PLUGIN_NAME_PATTERN } from "../patterns.js";

const FIELDS = [
  { key: "name", pattern: PLUGIN_NAME_PATTERN, max: 128 },
  { key: "author", pattern: AUTHOR_PATTERN, max: 64 },
] as const;

export const manifestName = defineRule({
  id: "manifest-name",
  description: "`name` (1-128) and `author` (1-64) use only lower case letters, digits, `_` and `-`",
  severity: "error",
  check({ project, report }) {
    const manifest = project.manifest;
    if (!manifest) return;
    for (const { key, pattern, max } of FIELDS) {
      const node = getNode(manifest.root, key);
      if (!node) continue;
      const value = node.kind === "scalar" && node.value !== null ? String(node.value) : undefined;
      if (value === undefined) {
        report(manifest, node, `\`${key}\` must be a string, not ${describeNode(node)}`);
      } else if (!pattern.test(value)) {
        const fixed = value.toLowerCase().replace(/[^a-z0-9_-]+/g, "_").slice(0, max);
        report(manifest, node, `\`${key}\` ${JSON.stringify(value)} may only use lower case letters, digits, \`_\` and \`-\` (1 to ${max} characters)`, {
          hint: fixed && pattern.test(fixed) ? `use ${JSON.stringify(fixed)}` : undefined,
        });
      }
    }
  },
});
