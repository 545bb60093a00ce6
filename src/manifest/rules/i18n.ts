import { defineRule } from "../rule.js";
import { describeNode } from "../query.js";
import { LOCALES } from "../patterns.js";
import { closest, didYouMean } from "../../diagnostics/did-you-mean.js";
import { eachI18n } from "../walk.js";

export const i18n = defineRule({
  id: "i18n",
  description: "labels, descriptions, help and placeholders are I18n objects with a non-empty `en_US` (zh_Hans, ja_JP, pt_BR optional)",
  severity: "error",
  check({ project, report }) {
    for (const site of eachI18n(project)) {
      const { file, key, node } = site;
      if (node.kind !== "map") {
        const text = node.kind === "scalar" && typeof node.value === "string" ? node.value : undefined;
        report(file, node, `\`${key}\` must be a mapping of languages, not ${describeNode(node)}`, { hint: text !== undefined ? `write it as \`${key}: { en_US: ${JSON.stringify(text)} }\`` : undefined });
        continue;
      }
      const en = node.pairs.find((p) => p.key === "en_US");
      const near = en ? undefined : closest("en_US", node.pairs.map((p) => p.key));
      if (!en) report(file, site.keyNode, `\`${key}\` has no \`en_US\` text`, { hint: near !== undefined ? `rename \`${near}\` to \`en_US\`` : "add `en_US: ...`" });
      for (const pair of node.pairs) {
        const value = pair.value;
        const known = (LOCALES as readonly string[]).includes(pair.key);
        if (!known) {
          report(file, pair.keyNode, `unknown language key \`${pair.key}\` in \`${key}\`: Dify drops it`, { severity: "warning", hint: didYouMean(pair.key, LOCALES) ?? `Dify reads ${LOCALES.join(", ")}` });
          continue;
        }
        if (!(value.kind === "scalar" && typeof value.value === "string")) {
          if (!(value.kind === "scalar" && (typeof value.value === "number" || typeof value.value === "boolean"))) report(file, value, `\`${key}.${pair.key}\` must be a string, not ${describeNode(value)}`);
          continue;
        }
        if (pair.key === "en_US" && value.value.trim() === "") report(file, value, `\`${key}.en_US\` is empty`);
        if (value.value.length >= 1024) report(file, value, `\`${key}.${pair.key}\` must be shorter than 1024 characters`);
      }
    }
  },
});
