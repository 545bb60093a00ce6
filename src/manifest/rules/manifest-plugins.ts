import { defineRule } from "../rule.js";
import { getIn, getPair, describeNode } from "../query.js";

const EXCLUSIVE = ["models", "agent_strategies", "datasources", "triggers"];

export const manifestPlugins = defineRule({
  id: "manifest-plugins",
  description: "`plugins.endpoints` lists group files (at most 128 characters each), not beside models, agent strategies, datasources or triggers",
  severity: "error",
  check({ project, report }) {
    const manifest = project.manifest;
    const plugins = getIn(manifest?.root, ["plugins"]);
    if (!manifest || !plugins) return;
    if (plugins.kind !== "map") {
      report(manifest, plugins, `\`plugins\` must be a mapping, not ${describeNode(plugins)}`, { hint: "for example `plugins: { endpoints: [group/my_plugin.yaml] }`" });
      return;
    }
    const endpoints = getPair(plugins, "endpoints");
    if (!endpoints) {
      report(manifest, getPair(manifest.root, "plugins")?.keyNode ?? { start: plugins.start, end: plugins.start }, "`plugins.endpoints` is missing: this plugin declares no endpoint group", { hint: "list the group file: `endpoints: [group/my_plugin.yaml]`" });
      return;
    }
    for (const key of EXCLUSIVE) {
      const other = getPair(plugins, key);
      if (other) report(manifest, other.keyNode, `\`plugins.${key}\` cannot stand beside \`plugins.endpoints\`: Dify rejects the package`, { hint: "move the endpoints into a plugin of their own" });
    }
    const list = endpoints.value;
    if (list.kind !== "seq") {
      report(manifest, list, `\`plugins.endpoints\` must be a list of group files, not ${describeNode(list)}`);
      return;
    }
    if (list.items.length === 0) report(manifest, list, "`plugins.endpoints` is empty: this plugin declares no endpoint group");
    for (const item of list.items) {
      if (item.kind !== "scalar" || typeof item.value !== "string") report(manifest, item, `each item of \`plugins.endpoints\` must be a file path, not ${describeNode(item)}`);
      else if (item.value.length > 128) report(manifest, item, "a group path in `plugins.endpoints` is longer than 128 characters");
    }
  },
});
