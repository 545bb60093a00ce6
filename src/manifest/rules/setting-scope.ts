import { defineRule } from "../rule.js";
import { getNode, getPair, stringOf, describeNode } from "../query.js";
import { didYouMean } from "../../diagnostics/did-you-mean.js";
import { eachSetting } from "../walk.js";
import { SCOPES } from "../patterns.js";

export const settingScope = defineRule({
  id: "setting-scope",
  description: "`scope` is used only on app-selector and model-selector settings, with their known parts joined by `&`",
  severity: "error",
  check({ project, report }) {
    for (const setting of eachSetting(project)) {
      const pair = getPair(setting.node, "scope");
      if (!pair) continue;
      const type = stringOf(getNode(setting.node, "type")) ?? "";
      const allowed = SCOPES[type];
      if (!allowed) {
        report(setting.file, pair.keyNode, `\`scope\` has no meaning on a ${type || "setting without a type"} setting`, { hint: "only app-selector and model-selector settings take a scope" });
        continue;
      }
      const value = stringOf(pair.value);
      if (value === undefined) {
        report(setting.file, pair.value, `\`scope\` must be a string, not ${describeNode(pair.value)}`);
        continue;
      }
      for (const part of value.split("&").map((p) => p.trim())) {
        if (allowed.includes(part)) continue;
        if (type === "model-selector" && part === "all") {
          report(setting.file, pair.value, "scope `all` passes Dify's SDK but not its plugin daemon", { severity: "warning", hint: "list the model types, e.g. `llm&text-embedding`" });
          continue;
        }
        report(setting.file, pair.value, `unknown ${type} scope ${JSON.stringify(part)}`, { hint: didYouMean(part, allowed) ?? `use ${allowed.join(", ")} (joined with \`&\`)` });
      }
    }
  },
});
