import { defineRule } from "../rule.js";
import { getNode, describeNode } from "../query.js";

export const manifestType = defineRule({
  id: "manifest-type",
  description: "`type` is `plugin`",
  severity: "error",
  check({ project, report }) {
    const node = getNode(project.manifest?.root, "type");
    if (project.manifest && node && !(node.kind === "scalar" && node.value === "plugin")) {
      report(project.manifest, node, `\`type\` must be "plugin", not ${describeNode(node)}`, { hint: "use `type: plugin`" });
    }
  },
});
