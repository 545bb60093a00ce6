import { defineRule } from "../rule.js";
import { asMap, getNode, getPair, describeNode, stringOf } from "../query.js";

const MAX_SETTINGS = 64;

export const groupSettings = defineRule({
  id: "group-settings",
  description: "a group's `settings` is a list of settings (Dify's docs show a map, which both parsers reject), at most 64",
  severity: "error",
  check({ project, report }) {
    for (const group of project.groups) {
      const pair = getPair(group.file.root, "settings");
      if (!pair) continue;
      const node = pair.value;
      if (node.kind === "map") {
        const first = node.pairs[0];
        const type = stringOf(getNode(asMap(first?.value), "type")) ?? "secret-input";
        report(group.file, pair.keyNode, "`settings` must be a list of settings, not a map keyed by name (the form in Dify's docs, which Dify's parsers reject)", {
          hint: `write one list item per setting with its name inside: \`settings: [{ name: ${first?.key ?? "api_key"}, type: ${type}, ... }]\`, or in block form \`- name: ${first?.key ?? "api_key"}\` with its other keys under it`,
        });
      } else if (node.kind === "seq") {
        if (node.items.length > MAX_SETTINGS) report(group.file, pair.keyNode, `${node.items.length} settings: Dify accepts at most ${MAX_SETTINGS} values for an endpoint`, { severity: "warning" });
        for (const item of node.items) if (item.kind !== "map") report(group.file, item, `each setting must be a mapping with \`name\`, \`type\` and \`label\`, not ${describeNode(item)}`);
      } else if (!(node.kind === "scalar" && node.value === null)) {
        report(group.file, node, `\`settings\` must be a list, not ${describeNode(node)}`, { hint: "use `settings: []` for none" });
      }
    }
  },
});
