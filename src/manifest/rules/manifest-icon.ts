import { defineRule } from "../rule.js";
import { getNode, describeNode } from "../query.js";

export const manifestIcon = defineRule({
  id: "manifest-icon",
  description: "`icon` (and `icon_dark`) name a file in `_assets/`, at most 128 characters",
  severity: "error",
  check({ project, report }) {
    const manifest = project.manifest;
    if (!manifest) return;
    for (const key of ["icon", "icon_dark"]) {
      const node = getNode(manifest.root, key);
      if (!node) continue;
      if (node.kind !== "scalar" || typeof node.value !== "string" || node.value === "") {
        report(manifest, node, `\`${key}\` must be a file name in \`_assets/\`, not ${describeNode(node)}`);
      } else if (node.value.length > 128) {
        report(manifest, node, `\`${key}\` is longer than 128 characters`);
      }
    }
  },
});
