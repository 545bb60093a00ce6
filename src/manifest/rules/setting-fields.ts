import { defineRule } from "../rule.js";
import { getPair, describeNode } from "../query.js";
import { eachSetting } from "../walk.js";

export const settingFields = defineRule({
  id: "setting-fields",
  description: "`required` and `multiple` are booleans, `url` a string, `default` a string, number or boolean",
  severity: "error",
  check({ project, report }) {
    for (const setting of eachSetting(project)) {
      for (const key of ["required", "multiple"]) {
        const pair = getPair(setting.node, key);
        if (pair && !(pair.value.kind === "scalar" && typeof pair.value.value === "boolean")) {
          const text = pair.value.kind === "scalar" ? String(pair.value.value).toLowerCase() : "";
          report(setting.file, pair.value, `\`${key}\` must be true or false, not ${describeNode(pair.value)}`, { hint: text === "yes" || text === "true" ? `use \`${key}: true\`` : text === "no" || text === "false" ? `use \`${key}: false\`` : undefined });
        }
      }
      const url = getPair(setting.node, "url");
      if (url && !(url.value.kind === "scalar" && typeof url.value.value === "string")) report(setting.file, url.value, `\`url\` must be a string, not ${describeNode(url.value)}`);
      const fallback = getPair(setting.node, "default");
      if (fallback && fallback.value.kind !== "scalar") report(setting.file, fallback.value, `\`default\` must be a string, number or boolean, not ${describeNode(fallback.value)}`);
    }
  },
});
