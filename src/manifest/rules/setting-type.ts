import { defineRule } from "../rule.js";
import { getPair, describeNode } from "../query.js";
import { SETTING_TYPES } from "../patterns.js";
import { didYouMean, uniqueClosest } from "../../diagnostics/did-you-mean.js";
import { eachSetting } from "../walk.js";
import { replaceScalar } from "../edits.js";

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
      // `tool-selector` is what Dify's docs call `array[tools]`; other typos only with one clear candidate.
      const meant = value === "tool-selector" ? "array[tools]" : value && pair.value.kind === "scalar" && typeof pair.value.value === "string" ? uniqueClosest(value, SETTING_TYPES) : undefined;
      const edit = meant !== undefined && pair.value.kind === "scalar" ? replaceScalar(setting.file.text, pair.value, meant, setting.node.flow) : undefined;
      report(setting.file, pair.value, `unknown setting type ${shown}`, {
        hint: (value && DOCS_ONLY[value]) ?? (value ? didYouMean(value, SETTING_TYPES) : undefined) ?? `use one of: ${SETTING_TYPES.join(", ")}`,
        fix: edit && { title: `use \`${meant}\``, edits: [edit] },
      });
    }
  },
});
