import { defineRule } from "../rule.js";
import { getNode, describeNode } from "../query.js";
import { RFC3339_PATTERN } from "../patterns.js";

export const manifestCreatedAt = defineRule({
  id: "manifest-created-at",
  description: "`created_at` is an RFC 3339 date-time (keep it a quoted string)",
  severity: "error",
  check({ project, report }) {
    const manifest = project.manifest;
    const node = getNode(manifest?.root, "created_at");
    if (!manifest || !node) return;
    if (node.kind !== "scalar" || typeof node.value !== "string") {
      report(manifest, node, `\`created_at\` must be an RFC 3339 date-time string, not ${describeNode(node)}`, { hint: 'for example `created_at: "2024-07-12T08:03:44Z"`' });
      return;
    }
    const match = RFC3339_PATTERN.test(node.value);
    const date = new Date(node.value.replace(/(\.\d{3})\d+/, "$1"));
    if (!match || Number.isNaN(date.getTime())) {
      report(manifest, node, `\`created_at\` ${JSON.stringify(node.value)} is not an RFC 3339 date-time`, { hint: 'for example `created_at: "2024-07-12T08:03:44Z"`' });
    }
  },
});
