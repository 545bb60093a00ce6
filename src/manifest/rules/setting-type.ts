import { defineRule } from "../rule.js";
import { getPair, describeNode } from "../query.js";
import { SETTING_TYPES } from "../patterns.js";
import { didYouMean } from "../../diagnostics/did-you-mean.js";
import { eachSetting } from "../walk.js";

const DOCS_ONLY: Record<string, string> = {
  "tool-selector": "did you mean `array[tools]`? Dify's docs mention `tool-selector`, but its code has no such type",
  "dataset-selector": "Dify's docs mention `dataset-selector`, but its code has no such type: use `select` or `text-input`",
};

export const settingType = defineRule({
  id: "setting-type",
  description: "each setting's `type` is one of secret-input, text-input, select, boolean, app-selector, model-selector, array[tools]",
  severity: "error",
  check({ project, report }) {
    for (const setting of eachSetting(project)) {
      const pair = getPair(setting.node, "type");
      if (!pair) {
        report(setting.file, { start: setting.node.start, end: setting.node.start }, `setting #${setting.index + 1} has no \`type\``, { hint: `use one of: ${SETTING_TYPES.join(", ")}` });
        continue;
      }
      const value = pair.value.kind === "scalar" ? String(pair.value.value) : undefined;
      if (value !== undefined && (SETTING_TYPES as readonly string[]).includes(value)) continue;
      const shown = value === undefined ? describeNode(pair.value) : JSON.stringify(value);
      report(setting.file, pair.value, `unknown setting type ${shown}`, {
        hint: (value && DOCS_ONLY[value]) ?? (value ? didYouMean(value, SETTING_TYPES) : undefined) ?? `use one of: ${SETTING_TYPES.join(", ")}`,
      });
    }
  },
});
