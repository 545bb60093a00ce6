import { defineRule } from "../rule.js";
import { getPair, describeNode } from "../query.js";
import { eachSetting } from "../walk.js";

export const settingName = defineRule({
  id: "setting-name",
  description: "each setting has a unique, non-empty `name` under 1024 characters (`name` itself collides with the endpoint's name field)",
  severity: "error",
  check({ project, report }) {
    const seen = new Map<string, string>();
    for (const setting of eachSetting(project)) {
      const pair = getPair(setting.node, "name");
      if (!pair) {
        report(setting.file, { start: setting.node.start, end: setting.node.start }, `setting #${setting.index + 1} has no \`name\``);
        continue;
      }
      const node = pair.value;
      const value = node.kind === "scalar" && node.value !== null && typeof node.value !== "boolean" ? String(node.value) : undefined;
      if (value === undefined || value === "") {
        report(setting.file, node, `a setting's \`name\` must be a non-empty string, not ${describeNode(node)}`);
        continue;
      }
      if (value.length >= 1024) report(setting.file, node, "a setting's `name` must be shorter than 1024 characters");
      if (value === "name") report(setting.file, node, "a setting called `name` collides with the endpoint name field of Dify's form", { severity: "warning", hint: "rename it, e.g. `bot_name`" });
      const key = `${setting.file.path}\0${value}`;
      if (seen.has(key)) report(setting.file, node, `setting \`${value}\` is declared twice`, { hint: "give each setting its own name" });
      seen.set(key, value);
    }
  },
});
