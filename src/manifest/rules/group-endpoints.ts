import { defineRule } from "../rule.js";
import { getPair, describeNode } from "../query.js";

export const groupEndpoints = defineRule({
  id: "group-endpoints",
  description: "a group's `endpoints` is a non-empty list of endpoint files (or inline endpoint mappings)",
  severity: "error",
  check({ project, report }) {
    for (const group of project.groups) {
      const root = group.file.root;
      if (!root) continue;
      const pair = getPair(root, "endpoints");
      if (!pair || (pair.value.kind === "scalar" && pair.value.value === null)) {
        report(group.file, pair?.keyNode ?? { start: root.start, end: root.start }, "the group lists no endpoints", { severity: "warning", hint: "add `endpoints: [endpoints/hello.yaml]`" });
        continue;
      }
      if (pair.value.kind !== "seq") {
        report(group.file, pair.value, `\`endpoints\` must be a list of endpoint files, not ${describeNode(pair.value)}`);
        continue;
      }
      if (pair.value.items.length === 0) report(group.file, pair.value, "the group lists no endpoints", { severity: "warning", hint: "add `endpoints: [endpoints/hello.yaml]`" });
      for (const item of pair.value.items) {
        if (item.kind === "map") continue;
        if (item.kind !== "scalar" || typeof item.value !== "string") report(group.file, item, `each endpoint must be a file path, not ${describeNode(item)}`);
      }
    }
  },
});
