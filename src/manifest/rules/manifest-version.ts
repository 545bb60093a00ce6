import { defineRule } from "../rule.js";
import { getIn, describeNode } from "../query.js";
import { VERSION_PATTERN } from "../patterns.js";

export const manifestVersion = defineRule({
  id: "manifest-version",
  description: "`version` and `meta.version` look like 1.2.3 (optionally -suffix)",
  severity: "error",
  check({ project, report }) {
    const manifest = project.manifest;
    for (const path of [["version"], ["meta", "version"]]) {
      const node = getIn(manifest?.root, path);
      if (!manifest || !node) continue;
      const key = path.join(".");
      if (node.kind === "scalar" && typeof node.value === "number") {
        const text = manifest.text.slice(node.start, node.end);
        // `1.0` (a float to YAML) is the version 1.0.0: written as the text says, never as the number reads (1.10 is 1.1).
        const parts = text.split(".");
        while (parts.length < 3) parts.push("0");
        const meant = /^\d+(\.\d+)?$/.test(text) ? parts.join(".") : undefined;
        const fix = meant !== undefined && VERSION_PATTERN.test(meant) ? { title: `write \`"${meant}"\``, edits: [{ start: node.start, end: node.end, text: `"${meant}"` }] } : undefined;
        report(manifest, node, `\`${key}\` must be a version string like "1.0.0", not the number ${text}`, { hint: `quote the value: \`"${text}"\``, fix });
      } else if (node.kind !== "scalar" || typeof node.value !== "string") {
        report(manifest, node, `\`${key}\` must be a version string like "1.0.0", not ${describeNode(node)}`);
      } else if (!VERSION_PATTERN.test(node.value)) {
        report(manifest, node, `\`${key}\` ${JSON.stringify(node.value)} is not a version like "1.0.0" (three numbers of up to 4 digits, optional -suffix)`);
      }
    }
  },
});
