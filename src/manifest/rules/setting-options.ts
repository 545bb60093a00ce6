import { defineRule } from "../rule.js";
import { getNode, getPair, describeNode } from "../query.js";
import { eachSetting } from "../walk.js";
import { quoteNumber } from "../edits.js";

export const settingOptions = defineRule({
  id: "setting-options",
  description: "a `select` has fewer than 128 `options`, each with a non-empty string `value` (under 128 characters) and a `label`",
  severity: "error",
  check({ project, report }) {
    for (const setting of eachSetting(project)) {
      const isSelect = getNode(setting.node, "type")?.kind === "scalar" && (getNode(setting.node, "type") as { value: unknown }).value === "select";
      const pair = getPair(setting.node, "options");
      if (!isSelect) continue;
      if (!pair || pair.value.kind !== "seq" || pair.value.items.length === 0) {
        report(setting.file, pair?.value ?? { start: setting.node.start, end: setting.node.start }, "a `select` setting needs a list of `options`", { hint: "for example `options: [{ value: \"a\", label: { en_US: A } }]`" });
        continue;
      }
      if (pair.value.items.length >= 128) report(setting.file, pair.keyNode, `${pair.value.items.length} options: a select accepts fewer than 128`);
      for (const option of pair.value.items) {
        if (option.kind !== "map") {
          report(setting.file, option, `each option must be a mapping with \`value\` and \`label\`, not ${describeNode(option)}`);
          continue;
        }
        const value = getPair(option, "value");
        if (!value) report(setting.file, { start: option.start, end: option.start }, "an option has no `value`");
        else if (value.value.kind === "scalar" && (typeof value.value.value === "number" || typeof value.value.value === "boolean")) {
          const text = setting.file.text.slice(value.value.start, value.value.end);
          report(setting.file, value.value, `option value ${text} is a ${typeof value.value.value}: Dify's SDK needs a string`, { hint: `quote the value: \`"${text}"\``, fix: quoteNumber(text, value.value) });
        } else if (!(value.value.kind === "scalar" && typeof value.value.value === "string" && value.value.value !== "")) {
          report(setting.file, value.value, `an option's \`value\` must be a non-empty string, not ${describeNode(value.value)}`);
        } else if (value.value.value.length >= 128) report(setting.file, value.value, "an option's `value` must be shorter than 128 characters");
        if (!getPair(option, "label")) report(setting.file, { start: option.start, end: option.start }, "an option has no `label`", { hint: "add `label: { en_US: ... }`" });
      }
    }
  },
});
