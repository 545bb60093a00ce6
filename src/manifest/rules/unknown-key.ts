import { defineRule, type RuleContext } from "../rule.js";
import { getIn, getNode } from "../query.js";
import { didYouMean, uniqueClosest } from "../../diagnostics/did-you-mean.js";
import { replaceScalar } from "../edits.js";
import { eachEndpoint, eachSetting } from "../walk.js";
import type { YamlFile } from "../model.js";
import type { YamlNode } from "../yaml.js";
import { keysOf } from "../shape.js";

/** The keys Dify reads, from the documents' shape (which the JSON Schemas are generated from too). */
const KNOWN = {
  manifest: keysOf("manifest"),
  meta: keysOf("meta"),
  runner: keysOf("runner"),
  resource: keysOf("resource"),
  group: keysOf("group"),
  setting: keysOf("setting"),
  option: keysOf("option"),
  endpoint: keysOf("endpoint"),
  extra: keysOf("extra") as Array<"python" | "typescript">,
  source: keysOf("python_source"),
};

function checkKeys(context: RuleContext, file: YamlFile, node: YamlNode | undefined, known: readonly string[], where: string): void {
  if (node?.kind !== "map") return;
  for (const pair of node.pairs) {
    if (known.includes(pair.key)) continue;
    const hint = pair.key === "helper" ? "did you mean `help`? Dify's docs say `helper`, but its code reads `help`" : didYouMean(pair.key, known);
    // Rename only to the one clear candidate, and never onto a key the mapping already has.
    const meant = pair.key === "helper" && known.includes("help") ? "help" : uniqueClosest(pair.key, known);
    const edit = meant !== undefined && !node.pairs.some((p) => p.key === meant) ? replaceScalar(file.text, pair.keyNode, meant, node.flow) : undefined;
    context.report(file, pair.keyNode, `unknown key \`${pair.key}\` in ${where}: Dify ignores it`, { hint, fix: edit && { title: `rename \`${pair.key}\` to \`${meant}\``, edits: [edit] } });
  }
}

export const unknownKey = defineRule({
  id: "unknown-key",
  description: "keys Dify does not read (typos such as `metod`, `sorce`, `helper`) are reported with the closest known key",
  severity: "warning",
  check(context) {
    const { project } = context;
    const manifest = project.manifest;
    if (manifest?.root) {
      checkKeys(context, manifest, manifest.root, KNOWN.manifest, "the manifest");
      checkKeys(context, manifest, getNode(manifest.root, "meta"), KNOWN.meta, "`meta`");
      checkKeys(context, manifest, getIn(manifest.root, ["meta", "runner"]), KNOWN.runner, "`meta.runner`");
      checkKeys(context, manifest, getNode(manifest.root, "resource"), KNOWN.resource, "`resource`");
    }
    for (const group of project.groups) checkKeys(context, group.file, group.file.root, KNOWN.group, "the endpoint group");
    for (const setting of eachSetting(project)) {
      checkKeys(context, setting.file, setting.node, KNOWN.setting, "a setting");
      const options = getNode(setting.node, "options");
      if (options?.kind === "seq") for (const option of options.items) checkKeys(context, setting.file, option, KNOWN.option, "a select option");
    }
    for (const endpoint of eachEndpoint(project)) {
      checkKeys(context, endpoint.file, endpoint.node, KNOWN.endpoint, "the endpoint");
      const extra = getNode(endpoint.node, "extra");
      checkKeys(context, endpoint.file, extra, KNOWN.extra, "`extra`");
      for (const language of KNOWN.extra) checkKeys(context, endpoint.file, getIn(endpoint.node, ["extra", language]), KNOWN.source, `\`extra.${language}\``);
    }
  },
});
